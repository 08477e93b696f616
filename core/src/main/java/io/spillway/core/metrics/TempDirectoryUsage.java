package io.spillway.core.metrics;

import io.spillway.core.storage.LocalResumableStore;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;

/**
 * Files and bytes under the temp directory (streamed parts and resumable uploads), measured by
 * walking it a few levels deep. The records of ended resumable uploads (a few bytes each, see
 * {@link LocalResumableStore#isEndingRecord}) are not upload data and do not count. Files that
 * vanish during the walk are skipped; links are not followed.
 *
 * @param files regular files found
 * @param bytes their total size
 */
public record TempDirectoryUsage(long files, long bytes) {

    private static final int MAX_DEPTH = 4;

    /** Measures the directory now; an unreadable directory counts as empty. */
    public static TempDirectoryUsage of(Path root) {
        long[] totals = new long[2];
        try {
            Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_DEPTH,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                            if (attributes.isRegularFile()
                                    && !LocalResumableStore.isEndingRecord(root.relativize(file))) {
                                totals[0]++;
                                totals[1] += attributes.size();
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            return new TempDirectoryUsage(0, 0);
        }
        return new TempDirectoryUsage(totals[0], totals[1]);
    }
}
