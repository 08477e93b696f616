package io.spillway.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.channels.FileChannel;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;

/**
 * The private directory where streamed parts live.
 *
 * <p>The directory is created {@code 0700} and must be a real directory (a planted symlink is
 * refused); files are created {@code 0600} with {@code CREATE_NEW} under names the server makes
 * from 128 random bits, so nothing a client sends ever becomes part of a path.
 */
public final class TempStorage {

    /**
     * Independent generators, each used by the threads whose id falls on it: the platform's
     * default {@code NativePRNG} serializes every caller in the JVM on one lock, which concurrent
     * uploads (an id each) queued on. Each slot is a DRBG seeded on first use.
     */
    private static final AtomicReferenceArray<SecureRandom> RANDOMS = new AtomicReferenceArray<>(
            Integer.highestOneBit(Math.max(4, Runtime.getRuntime().availableProcessors() * 2)) * 2);
    private static final boolean POSIX = java.nio.file.FileSystems.getDefault()
            .supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIR_PERMISSIONS = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");

    /** Prefix of every file this storage creates; files without it are never touched. */
    public static final String FILE_PREFIX = "spw-";

    private final Path root;
    private final FileStore store;

    private TempStorage(Path root) throws IOException {
        this.root = root;
        this.store = Files.getFileStore(root);
    }

    /**
     * Opens (creating if needed) the private directory.
     *
     * @throws IOException when the path exists but is a symlink or not a directory, or cannot be made private
     */
    public static TempStorage open(Path directory) throws IOException {
        Path root = directory.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(root)) {
            throw new IOException("temp directory must not be a symbolic link: " + root);
        }
        if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("temp directory is not a directory: " + root);
            }
            if (POSIX) {
                makeExistingPrivate(root);
            }
        } else if (POSIX) {
            Files.createDirectories(root.getParent());
            Files.createDirectory(root, PosixFilePermissions.asFileAttribute(DIR_PERMISSIONS));
        } else {
            Files.createDirectories(root);
        }
        return new TempStorage(root);
    }

    /**
     * An existing directory is used only when this user owns it and nobody else can write to it;
     * it is then tightened to 0700. A shared directory such as {@code /tmp} is refused rather than
     * locked down: point {@code tempDirectory} at a subdirectory instead.
     */
    private static void makeExistingPrivate(Path root) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(root, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes attributes = view.readAttributes();
        String user = System.getProperty("user.name");
        if (!attributes.owner().getName().equals(user)) {
            throw new IOException("temp directory " + root + " belongs to " + attributes.owner().getName()
                    + ", not to " + user + "; point tempDirectory at a directory of the server's own");
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("temp directory " + root + " is writable by others ("
                    + PosixFilePermissions.toString(permissions) + "); use a private subdirectory, e.g. "
                    + root.resolve("spillway"));
        }
        view.setPermissions(DIR_PERMISSIONS);
    }

    /** The directory. */
    public Path root() {
        return root;
    }

    /** A new name made of 128 random bits, as hex. */
    public static String newId() {
        byte[] bytes = new byte[16];
        random().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static SecureRandom random() {
        int slot = (int) (Thread.currentThread().getId() & (RANDOMS.length() - 1));
        SecureRandom random = RANDOMS.get(slot);
        if (random == null) {
            RANDOMS.compareAndSet(slot, null, newGenerator());
            random = RANDOMS.get(slot);
        }
        return random;
    }

    private static SecureRandom newGenerator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /**
     * Creates a new empty file, {@code 0600}, with a server-made name.
     *
     * @param suffix a fixed suffix chosen by the server (never client text), such as {@code .part}
     */
    public Path createFile(String suffix) throws IOException {
        while (true) {
            Path file = root.resolve(FILE_PREFIX + newId() + suffix);
            try {
                if (POSIX) {
                    FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS);
                    FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode).close();
                } else {
                    Files.createFile(file);
                }
                return file;
            } catch (FileAlreadyExistsException collision) {
                // 128 random bits collided, or something was planted: try another name
            }
        }
    }

    /** Usable bytes on the file store that holds the directory. */
    public long usableSpace() {
        try {
            return store.getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a file if it exists; returns whether it did. Never throws. */
    public static boolean deleteQuietly(Path file) {
        if (file == null) {
            return false;
        }
        try {
            return Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether a path lies inside this directory (after normalization). */
    public boolean contains(Path file) {
        return file.toAbsolutePath().normalize().startsWith(root);
    }

    /** Files this storage created that are still in the directory (not in subdirectories). */
    public long countFiles() throws IOException {
        try (Stream<Path> files = Files.list(root)) {
            return files.filter(p -> p.getFileName().toString().startsWith(FILE_PREFIX)).count();
        } catch (NoSuchFileException gone) {
            return 0;
        }
    }

    /** Deletes every file this storage created directly in the directory. */
    public void deleteOwnFiles() throws IOException {
        try (Stream<Path> files = Files.list(root)) {
            files.filter(p -> p.getFileName().toString().startsWith(FILE_PREFIX)
                            && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(TempStorage::deleteQuietly);
        } catch (NoSuchFileException gone) {
            // nothing to delete
        }
    }
}
