package io.spillway.benchmarks.harness;

import io.spillway.benchmarks.harness.server.BenchmarkServer;
import io.spillway.core.storage.LocalResumableStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One server in its own forked JVM ({@link BenchmarkServer}), with its own directory for the files
 * it writes. Closing it stops the JVM and deletes the directory; its log is kept.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SETTLE_TIME = Duration.ofSeconds(5);

    private final ServerKind kind;
    private final String heap;
    private final Process process;
    private final Path directory;
    private final Path log;
    private final int port;
    private final CpuAccounting cpu;

    private ServerProcess(ServerKind kind, String heap, Process process, Path directory, Path log, int port, CpuAccounting cpu) {
        this.kind = kind;
        this.heap = heap;
        this.process = process;
        this.directory = directory;
        this.log = log;
        this.port = port;
        this.cpu = cpu;
    }

    /**
     * Forks a server JVM with {@code -Xmx<heap>} and {@code -XX:+ExitOnOutOfMemoryError} and waits
     * until it listens.
     *
     * @param initParams Spillway filter init-params (server A only)
     * @param label      names the log file, e.g. {@code s3-run1}
     * @param record     true to record the JVM with Java Flight Recorder next to the log
     */
    public static ServerProcess start(ServerKind kind, String heap, Map<String, String> initParams, Path workRoot, String label, CpuAccounting cpu,
                                      boolean record) throws IOException {
        return start(kind, heap, initParams, workRoot, label, cpu, record, Launch.DEFAULT);
    }

    /**
     * How the server JVM is launched beyond its kind: the JDK it runs on and properties of its
     * Tomcat connector (for example {@code useVirtualThreads=true} on a Java 21+ JDK).
     *
     * @param javaHome  the JDK, or null for the one running the benchmark
     * @param connector connector properties by name
     */
    public record Launch(Path javaHome, Map<String, String> connector) {
        /** The benchmark's own JDK, the connector on its defaults. */
        public static final Launch DEFAULT = new Launch(null, Map.of());
    }

    /** Like {@link #start(ServerKind, String, Map, Path, String, CpuAccounting, boolean)}, launched as {@code launch} says. */
    public static ServerProcess start(ServerKind kind, String heap, Map<String, String> initParams, Path workRoot, String label, CpuAccounting cpu,
                                      boolean record, Launch launch) throws IOException {
        Path directory = Files.createDirectories(workRoot.resolve(label + "-" + kind));
        Path logs = Files.createDirectories(workRoot.resolve("logs"));
        Path log = logs.resolve(label + "-" + kind + ".log");
        Path portFile = directory.resolve("port");
        Path tmp = Files.createDirectories(directory.resolve("tmp"));
        List<String> command = new ArrayList<>(List.of(
                (launch.javaHome() != null ? launch.javaHome() : Path.of(System.getProperty("java.home")))
                        .resolve("bin").resolve("java").toString(),
                "-Xmx" + heap,
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.io.tmpdir=" + tmp));
        if (record) {
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + logs.resolve(label + "-" + kind + ".jfr"));
        }
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"),
                BenchmarkServer.class.getName(),
                "--kind", kind.name(),
                "--dir", directory.toString(),
                "--port-file", portFile.toString()));
        initParams.forEach((name, value) -> {
            command.add("--init");
            command.add(name + "=" + value);
        });
        launch.connector().forEach((name, value) -> {
            command.add("--connector");
            command.add(name + "=" + value);
        });
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int port = awaitPort(process, portFile, log);
        return new ServerProcess(kind, heap, process, directory, log, port, cpu);
    }

    private static int awaitPort(Process process, Path portFile, Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
            } catch (NoSuchFileException e) {
                if (!process.isAlive()) {
                    throw new IOException("server exited with " + process.exitValue() + " before listening: " + tail(log));
                }
                sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IOException("server did not listen within " + START_TIMEOUT.toSeconds() + " s: " + tail(log));
    }

    /** Which server this is. */
    public ServerKind kind() {
        return kind;
    }

    /** The -Xmx value it runs with. */
    public String heap() {
        return heap;
    }

    /** Where uploads are sent. */
    public URI uploadUri() {
        return URI.create("http://127.0.0.1:" + port + BenchmarkServer.UPLOAD_PATH);
    }

    /** The server JVM's process id (for its resident memory and thread count in {@code /proc}). */
    public long pid() {
        return process.pid();
    }

    /** Where the heap statistics are read. */
    public URI statsUri() {
        return URI.create("http://127.0.0.1:" + port + BenchmarkServer.STATS_PATH);
    }

    /** True while the JVM runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for the JVM to exit by itself; true if it did. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Why the JVM exited by itself, e.g. {@code OutOfMemoryError: Java heap space (exit 3)}, or empty while it runs. */
    public String deathReason() {
        if (process.isAlive()) {
            return "";
        }
        String exit = "exit " + process.exitValue();
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains("OutOfMemoryError"))
                    .findFirst()
                    .map(line -> line.substring(line.indexOf("OutOfMemoryError")).trim() + " (" + exit + ")")
                    .orElse(exit);
        } catch (IOException | UncheckedIOException e) {
            return exit;
        }
    }

    /**
     * The number of files the server left in its upload directory once it is idle (should be 0; the
     * records of ended resumable uploads, which hold no upload bytes, do not count).
     * A container deletes part files when it recycles the request, just after the answer is sent,
     * so the count is given a few seconds to reach zero.
     */
    public long filesLeft() {
        long deadline = System.nanoTime() + SETTLE_TIME.toNanos();
        long left = countFiles();
        while (left > 0 && System.nanoTime() < deadline) {
            sleep(50);
            left = countFiles();
        }
        return left;
    }

    /** CPU time the server JVM has used so far, in seconds, or NaN when the OS does not tell. */
    public double cpuSeconds() {
        return process.info().totalCpuDuration().map(cpu -> cpu.toNanos() / 1e9).orElse(Double.NaN);
    }

    private long countFiles() {
        Path uploads = directory.resolve(BenchmarkServer.UPLOADS_DIR);
        if (!Files.isDirectory(uploads)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(uploads)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !LocalResumableStore.isEndingRecord(uploads.relativize(p))).count();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** Stops the JVM, records its CPU time and deletes its directory. */
    @Override
    public void close() {
        process.info().totalCpuDuration().ifPresent(cpu::addServerCpu);
        process.destroy();
        if (!awaitExit(Duration.ofSeconds(20))) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(20));
        }
        deleteRecursively(directory);
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    System.err.println("could not delete " + path + ": " + e.getMessage());
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not clean " + root + ": " + e.getMessage());
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
