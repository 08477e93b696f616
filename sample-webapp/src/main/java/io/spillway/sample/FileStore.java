package io.spillway.sample;

import io.spillway.core.storage.FileNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The sample application's storage: each file lives in one directory under a server-made name
 * ({@code <id>.bin}) next to a properties sidecar ({@code <id>.properties}) with its name, size,
 * SHA-256 and route. The digest is computed while the bytes are written, so the listing proves what really
 * reached the disk.
 *
 * <p>A file appears in the listing only once it is complete: bytes go to a hidden temp file that
 * is renamed into place, and the sidecar is written last. A failed store leaves nothing behind.
 */
public final class FileStore {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
    private static final String DATA_SUFFIX = ".bin";
    private static final String META_SUFFIX = ".properties";
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path directory;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public FileStore(Path directory) throws IOException {
        this(directory, Clock.systemUTC());
    }

    FileStore(Path directory, Clock clock) throws IOException {
        this.directory = Files.createDirectories(Objects.requireNonNull(directory, "directory"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Path directory() {
        return directory;
    }

    /**
     * Copies {@code content} to a new file and records it.
     *
     * @param clientName the name the client sent; sanitized, kept as metadata only
     * @param route      the route Spillway took for the upload
     */
    public StoredFile store(InputStream content, String clientName, UploadRoute route) throws IOException {
        String id = newId();
        Path partial = directory.resolve("." + id + ".partial");
        try {
            MessageDigest sha256 = sha256();
            long size;
            try (InputStream in = new DigestInputStream(content, sha256);
                 OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW)) {
                size = copy(in, out);
            }
            Files.move(partial, dataFile(id), StandardCopyOption.ATOMIC_MOVE);
            StoredFile stored = new StoredFile(id, FileNames.sanitize(clientName), size,
                    HexFormat.of().formatHex(sha256.digest()), route.kind(), route.reason(), clock.instant());
            writeSidecar(stored);
            return stored;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(dataFile(id));
            throw e;
        }
    }

    /** Every complete file, newest first. */
    public List<StoredFile> list() throws IOException {
        List<StoredFile> files = new ArrayList<>();
        try (DirectoryStream<Path> sidecars = Files.newDirectoryStream(directory, "*" + META_SUFFIX)) {
            for (Path sidecar : sidecars) {
                files.add(readSidecar(sidecar));
            }
        }
        files.sort(Comparator.comparing(StoredFile::storedAt).reversed().thenComparing(StoredFile::id));
        return files;
    }

    /**
     * Deletes a stored file.
     *
     * @return false when no file has that id (including ids that are not well-formed)
     */
    public boolean delete(String id) throws IOException {
        if (id == null || !ID.matcher(id).matches()) {
            return false;
        }
        boolean existed = Files.deleteIfExists(sidecar(id));
        return Files.deleteIfExists(dataFile(id)) || existed;
    }

    private static StoredFile readSidecar(Path sidecar) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(sidecar, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return StoredFile.fromProperties(properties);
    }

    private void writeSidecar(StoredFile stored) throws IOException {
        Path temp = directory.resolve("." + stored.id() + META_SUFFIX + ".partial");
        try {
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
                stored.toProperties().store(out, null);
            }
            Files.move(temp, sidecar(stored.id()), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private Path dataFile(String id) {
        return directory.resolve(id + DATA_SUFFIX);
    }

    private Path sidecar(String id) {
        return directory.resolve(id + META_SUFFIX);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
