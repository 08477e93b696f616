package io.spillway.core.resumable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A bounded, in-memory memory of uploads that ended (completed, terminated, expired), so that a
 * late chunk gets a precise answer (409, 410) instead of "unknown". Nothing of it is on disk: once
 * an upload ended, no file of it remains.
 */
final class Tombstones {

    private static final int MAX_ENTRIES = 10_000;

    private final Clock clock;
    private final Duration retention;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    Tombstones(Clock clock, Duration retention) {
        this.clock = clock;
        this.retention = retention;
    }

    synchronized void add(String id, UploadGoneException.Reason why, long total, String owner) {
        entries.remove(id);
        entries.put(id, new Entry(why, total, owner, clock.instant()));
        prune();
    }

    /** The exception to throw for this id and requester, or null when nothing is remembered. */
    synchronized UploadGoneException find(String id, String owner) {
        prune();
        Entry entry = entries.get(id);
        if (entry == null || entry.owner != null && !Objects.equals(entry.owner, owner)) {
            return null;
        }
        return new UploadGoneException(entry.why, entry.total);
    }

    private void prune() {
        Instant oldest = clock.instant().minus(retention);
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Entry> e = it.next();
            if (entries.size() > MAX_ENTRIES || e.getValue().at.isBefore(oldest)) {
                it.remove();
            } else {
                break;
            }
        }
    }

    private record Entry(UploadGoneException.Reason why, long total, String owner, Instant at) {
    }
}
