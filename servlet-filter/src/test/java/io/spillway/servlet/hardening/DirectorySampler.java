package io.spillway.servlet.hardening;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Samples, every couple of milliseconds while a case runs, how many bytes the files under a
 * directory hold, and keeps the maximum: "nothing grew on disk" as a measurement.
 */
final class DirectorySampler implements AutoCloseable {

    private final Path directory;
    private final AtomicLong max = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private DirectorySampler(Path directory) {
        this.directory = directory;
        this.thread = new Thread(this::run, "directory-sampler");
        this.thread.setDaemon(true);
    }

    static DirectorySampler start(Path directory) {
        DirectorySampler sampler = new DirectorySampler(directory);
        sampler.thread.start();
        return sampler;
    }

    /** The largest total seen so far. */
    long maxBytes() {
        return max.get();
    }

    private void run() {
        while (running.get()) {
            max.accumulateAndGet(bytesUnder(directory), Math::max);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Bytes held by the regular files under a directory right now. */
    static long bytesUnder(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.mapToLong(p -> {
                try {
                    return Files.isRegularFile(p) ? Files.size(p) : 0;
                } catch (IOException vanished) {
                    return 0;
                }
            }).sum();
        } catch (NoSuchFileException | UncheckedIOException vanished) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
