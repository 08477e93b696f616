package io.spillway.core.testing;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.upload.DiskGuard;
import io.spillway.core.upload.PartContent;
import io.spillway.core.upload.SpillTarget;
import io.spillway.core.upload.SpillWriter;
import io.spillway.core.upload.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote {@link SpillTarget} for unit tests: objects live in a map, writers that were opened
 * and not yet finished or closed are visible, and the store can be told to fail, so that code
 * which consumes parts can be tested against "the bucket" without a network.
 */
public final class MemoryObjectStore implements SpillTarget {

    private final Map<String, byte[]> objects = new TreeMap<>();
    private final Set<String> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger names = new AtomicInteger();
    private volatile boolean failing;

    /** From now on every write, finish, read and copy fails with 503. */
    public void fail() {
        failing = true;
    }

    /** The stored objects by key. */
    public synchronized Map<String, byte[]> objects() {
        return Map.copyOf(objects);
    }

    /** Keys of writers opened and neither finished nor closed. */
    public Set<String> openWriters() {
        return Set.copyOf(open);
    }

    @Override
    public SpillWriter open(DiskGuard diskGuard) {
        String key = "part-" + names.incrementAndGet();
        open.add(key);
        return new SpillWriter() {
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            private boolean done;

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                check();
                bytes.write(buffer, offset, length);
            }

            @Override
            public PartContent finish() throws IOException {
                check();
                put(key, bytes.toByteArray());
                done = true;
                open.remove(key);
                return PartContent.ofStored(object(key), bytes.size());
            }

            @Override
            public void close() {
                if (!done) {
                    done = true;
                    open.remove(key);
                }
            }
        };
    }

    @Override
    public long usableSpace() {
        return Long.MAX_VALUE;
    }

    /** The object of {@code key}, as a {@link PartContent} sees it. */
    public StoredObject object(String key) {
        return new StoredObject() {
            @Override
            public InputStream open() throws IOException {
                check();
                byte[] bytes = get(key);
                if (bytes == null) {
                    throw new IOException("no such object: " + key);
                }
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public void copyTo(Path target) throws IOException {
                try (InputStream in = open()) {
                    Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }

            @Override
            public void delete() {
                remove(key);
            }

            @Override
            public String location() {
                return "memory://" + key;
            }
        };
    }

    /** Stores an object directly. */
    public synchronized void put(String key, byte[] bytes) {
        objects.put(key, bytes.clone());
    }

    private synchronized byte[] get(String key) {
        return objects.get(key);
    }

    private synchronized void remove(String key) {
        objects.remove(key);
    }

    private void check() throws UploadRejectedException {
        if (failing) {
            throw new UploadRejectedException(503, "object store unavailable");
        }
    }
}
