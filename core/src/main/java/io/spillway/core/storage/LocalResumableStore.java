package io.spillway.core.storage;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ResumableStore} on the local disk: one private directory per upload under
 * {@code <tempRoot>/resumable/}, holding {@code data} (the byte space, sparse until filled) and
 * {@code state.json}; the endings of finished uploads are {@code <tempRoot>/resumable/ended/<id>.json}.
 *
 * <p>Directories are {@code 0700} and files {@code 0600}, created with {@code CREATE_NEW} and
 * opened without following links; only server-issued ids become directory names. Data is forced
 * to disk before a state is written; a state is written to a temporary file, forced, and renamed
 * over the old one atomically, then the directory is forced. Compare-and-set is atomic within this
 * JVM (one JVM owns a temp directory); the version is a digest of the document.
 */
public final class LocalResumableStore implements ResumableStore {

    /** Name of the subdirectory of the temp root that holds resumable uploads. */
    public static final String DIRECTORY = "resumable";

    /** Name of the subdirectory of the store that remembers the endings of finished uploads. */
    public static final String ENDED = "ended";

    static final String DATA = "data";
    static final String STATE = "state.json";
    static final String STATE_TMP = "state.json.tmp";

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final int STRIPES = 64;
    private static final int BUFFER = 64 * 1024;
    private static final String ENDING_SUFFIX = ".json";

    private final Path root;
    private final TempStorage rootStorage;
    private final Object[] locks = new Object[STRIPES];

    private LocalResumableStore(TempStorage rootStorage) {
        this.rootStorage = rootStorage;
        this.root = rootStorage.root();
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * Whether a file under a temp root is one of the store's ending records: a few bytes kept for
     * {@code uploadExpiry} after an upload ended, holding no byte of the upload. Tools that check
     * that nothing of an upload is left behind tell these apart.
     *
     * @param relative the file's path relative to the temp root
     */
    public static boolean isEndingRecord(Path relative) {
        return relative.getNameCount() == 3 && relative.getName(0).toString().equals(DIRECTORY)
                && relative.getName(1).toString().equals(ENDED)
                && relative.getFileName().toString().endsWith(ENDING_SUFFIX);
    }

    /**
     * Opens the store in {@code <tempRoot>/resumable/}, creating it {@code 0700}.
     *
     * @throws IOException when the directory is a symbolic link or cannot be made private
     */
    public static LocalResumableStore open(Path tempRoot) throws IOException {
        return new LocalResumableStore(TempStorage.open(tempRoot.resolve(DIRECTORY)));
    }

    /** The directory that holds one subdirectory per upload. */
    public Path root() {
        return root;
    }

    @Override
    public void create(String id, String stateJson) throws IOException {
        Path dir = directory(id);
        if (POSIX) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        } else {
            Files.createDirectory(dir);
        }
        createNew(dir.resolve(DATA)).close();
        writeState(dir, stateJson);
        forceDirectory(root);
    }

    @Override
    public Optional<StoredState> readState(String id) throws IOException {
        Path dir = directory(id);
        synchronized (lock(id)) {
            return readStateLocked(dir);
        }
    }

    @Override
    public Optional<String> replaceState(String id, String expectedVersion, String stateJson) throws IOException {
        Path dir = directory(id);
        synchronized (lock(id)) {
            Optional<StoredState> current = readStateLocked(dir);
            if (current.isEmpty() || !current.get().version().equals(expectedVersion)) {
                return Optional.empty();
            }
            writeState(dir, stateJson);
            return Optional.of(version(stateJson));
        }
    }

    @Override
    public void write(String id, long offset, InputStream bytes, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must not be negative: " + offset + ", " + length);
        }
        try (FileChannel channel = FileChannel.open(directory(id).resolve(DATA), options(StandardOpenOption.WRITE))) {
            byte[] buffer = new byte[BUFFER];
            long position = offset;
            long left = length;
            while (left > 0) {
                int n = bytes.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("source ended " + left + " bytes early");
                }
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    position += channel.write(chunk, position);
                }
                left -= n;
            }
            channel.force(false);
        }
    }

    @Override
    public InputStream read(String id, long offset, long length) throws IOException {
        FileChannel channel = FileChannel.open(directory(id).resolve(DATA), options(StandardOpenOption.READ));
        channel.position(offset);
        return new BoundedInputStream(Channels.newInputStream(channel), length);
    }

    @Override
    public long storedExtent(String id) throws IOException {
        try {
            return Files.readAttributes(directory(id).resolve(DATA), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).size();
        } catch (NoSuchFileException gone) {
            return 0;
        }
    }

    @Override
    public void discardBeyond(String id, long extent) throws IOException {
        try (FileChannel channel = FileChannel.open(directory(id).resolve(DATA), options(StandardOpenOption.WRITE))) {
            if (channel.size() > extent) {
                channel.truncate(extent);
                channel.force(true);
            }
        }
    }

    @Override
    public Path materialize(String id) throws IOException {
        Path data = directory(id).resolve(DATA);
        if (!Files.isRegularFile(data, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException("upload has no data file");
        }
        return data;
    }

    @Override
    public List<StoredUpload> list() throws IOException {
        List<StoredUpload> uploads = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!UploadIds.isValid(name) || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    Instant modified = modified(entry);
                    Path state = entry.resolve(STATE);
                    boolean hasState = Files.isRegularFile(state, LinkOption.NOFOLLOW_LINKS);
                    if (hasState) {
                        Instant stateModified = modified(state);
                        modified = stateModified.isAfter(modified) ? stateModified : modified;
                    }
                    uploads.add(new StoredUpload(name, modified, hasState));
                } catch (NoSuchFileException deletedMeanwhile) {
                    // an upload finished while the directory was listed
                }
            }
        }
        return uploads;
    }

    @Override
    public void delete(String id) throws IOException {
        Path dir = directory(id);
        synchronized (lock(id)) {
            Files.deleteIfExists(dir.resolve(STATE));
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
            }
        } catch (NoSuchFileException gone) {
            return;
        }
        Files.deleteIfExists(dir);
    }

    @Override
    public long usableSpace() {
        return rootStorage.usableSpace();
    }

    @Override
    public void recordEnding(String id, String json) throws IOException {
        Path ended = endedDirectory();
        synchronized (lock(id)) {
            writeAtomically(ended.resolve(UploadIds.requireValid(id) + ENDING_SUFFIX),
                    ended.resolve(id + ".json.tmp"), json);
        }
    }

    @Override
    public Optional<String> readEnding(String id) throws IOException {
        Path file = root.resolve(ENDED).resolve(UploadIds.requireValid(id) + ENDING_SUFFIX);
        if (Files.isSymbolicLink(file)) {
            throw new IOException("ending file is a symbolic link");
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        }
    }

    @Override
    public List<Ending> listEndings() throws IOException {
        Path ended = root.resolve(ENDED);
        if (!Files.isDirectory(ended, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<Ending> endings = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(ended, "*.json")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                String id = name.substring(0, name.length() - ENDING_SUFFIX.length());
                if (UploadIds.isValid(id)) {
                    try {
                        endings.add(new Ending(id, modified(entry)));
                    } catch (NoSuchFileException forgottenMeanwhile) {
                        // swept by another call while listing
                    }
                }
            }
        }
        return endings;
    }

    @Override
    public void forgetEnding(String id) throws IOException {
        Files.deleteIfExists(root.resolve(ENDED).resolve(UploadIds.requireValid(id) + ENDING_SUFFIX));
    }

    private Path endedDirectory() throws IOException {
        Path ended = root.resolve(ENDED);
        if (Files.isSymbolicLink(ended)) {
            throw new IOException("directory of endings is a symbolic link: " + ended);
        }
        if (!Files.isDirectory(ended)) {
            try {
                if (POSIX) {
                    Files.createDirectory(ended, PosixFilePermissions.asFileAttribute(DIR_MODE));
                } else {
                    Files.createDirectory(ended);
                }
            } catch (java.nio.file.FileAlreadyExistsException createdMeanwhile) {
                // another request made it
            }
        }
        return ended;
    }

    private Optional<StoredState> readStateLocked(Path dir) throws IOException {
        Path state = dir.resolve(STATE);
        if (Files.isSymbolicLink(state)) {
            throw new IOException("state file is a symbolic link");
        }
        try {
            String json = Files.readString(state, StandardCharsets.UTF_8);
            return Optional.of(new StoredState(json, version(json)));
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        }
    }

    private void writeState(Path dir, String json) throws IOException {
        writeAtomically(dir.resolve(STATE), dir.resolve(STATE_TMP), json);
    }

    /** Writes a temporary file, forces it, renames it over the target and forces the directory. */
    private static void writeAtomically(Path target, Path tmp, String json) throws IOException {
        Files.deleteIfExists(tmp);
        try (FileChannel channel = createNew(tmp)) {
            ByteBuffer bytes = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.getParent());
    }

    private static FileChannel createNew(Path file) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        if (POSIX) {
            FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(FILE_MODE);
            return FileChannel.open(file, options, mode);
        }
        return FileChannel.open(file, options);
    }

    private static Set<OpenOption> options(OpenOption mode) {
        return Set.of(mode, LinkOption.NOFOLLOW_LINKS);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupportedHere) {
            // some platforms cannot open a directory; the rename is still atomic there
        }
    }

    private static Instant modified(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .lastModifiedTime().toInstant();
    }

    private Path directory(String id) {
        return root.resolve(UploadIds.requireValid(id));
    }

    private Object lock(String id) {
        return locks[Math.floorMod(id.hashCode(), STRIPES)];
    }

    private static String version(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
