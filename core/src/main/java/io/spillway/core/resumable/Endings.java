package io.spillway.core.resumable;

import io.spillway.core.internal.json.Json;
import io.spillway.core.storage.ResumableStore;
import io.spillway.core.storage.ResumableStore.Ending;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable memory of uploads that ended (completed, terminated, expired), so that a late
 * request gets a precise answer (410, or "complete") instead of "unknown": after a restart, and on
 * every server sharing the store, for {@code uploadExpiry} after the ending. Each ending is one
 * small document in the store ({@link ResumableStore#recordEnding}); nothing of the upload's bytes
 * or state remains. There is no cap that forgets silently: the sweeper forgets an ending once it
 * is older than the retention.
 */
final class Endings {

    private static final System.Logger LOG = System.getLogger(Endings.class.getName());

    private final ResumableStore store;
    private final Clock clock;
    private final Duration retention;

    Endings(ResumableStore store, Clock clock, Duration retention) {
        this.store = store;
        this.clock = clock;
        this.retention = retention;
    }

    /** Remembers an ending; a store failure is logged (the upload then answers 404 later). */
    void add(String id, UploadGoneException.Reason why, long total, String owner) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", id);
        doc.put("ended", why.name());
        doc.put("total", total);
        doc.put("owner", owner);
        doc.put("at", clock.instant().toString());
        try {
            store.recordEnding(id, Json.write(doc));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remember the end of upload " + id
                    + "; late requests for it will be told it is unknown", e);
        }
    }

    /** The exception to throw for this id and requester, or null when no ending is remembered. */
    UploadGoneException find(String id, String owner) {
        Optional<String> json;
        try {
            json = store.readEnding(id);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not read the end of upload " + id, e);
            return null;
        }
        if (json.isEmpty()) {
            return null;
        }
        try {
            Map<String, Object> doc = Json.parseObject(json.get());
            Instant at = Instant.parse((String) doc.get("at"));
            Object recordedOwner = doc.get("owner");
            if (!at.plus(retention).isAfter(clock.instant())
                    || recordedOwner != null && !Objects.equals(recordedOwner, owner)) {
                return null;
            }
            return new UploadGoneException(UploadGoneException.Reason.valueOf((String) doc.get("ended")),
                    ((Number) doc.get("total")).longValue());
        } catch (IllegalArgumentException | ClassCastException | NullPointerException | DateTimeParseException bad) {
            LOG.log(System.Logger.Level.WARNING, "unreadable ending of upload " + id, bad);
            return null;
        }
    }

    /**
     * Forgets the endings recorded longer than the retention ago (by the engine's clock, as the
     * document says; an unreadable document by the store's time).
     *
     * @return how many were forgotten
     */
    int sweep() throws IOException {
        Instant oldest = clock.instant().minus(retention);
        int forgotten = 0;
        for (Ending ending : store.listEndings()) {
            Instant at = recordedAt(ending);
            if (at.isBefore(oldest)) {
                store.forgetEnding(ending.id());
                forgotten++;
            }
        }
        return forgotten;
    }

    private Instant recordedAt(Ending ending) throws IOException {
        Optional<String> json = store.readEnding(ending.id());
        if (json.isEmpty()) {
            return Instant.MAX;
        }
        try {
            return Instant.parse((String) Json.parseObject(json.get()).get("at"));
        } catch (IllegalArgumentException | ClassCastException | NullPointerException | DateTimeParseException bad) {
            return ending.recordedAt();
        }
    }
}
