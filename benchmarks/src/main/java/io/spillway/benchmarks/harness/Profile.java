package io.spillway.benchmarks.harness;

/**
 * The sizes and repetitions of one harness run.
 *
 * @param name                  {@code full}, {@code quick} or {@code tiny}
 * @param sharedHeap            -Xmx of the servers of scenarios 1 and 2 (C keeps the 1 GiB upload in memory)
 * @param largeUploadSize       scenario 1: the size of the one big upload
 * @param largeWarmupSize       scenario 1: the size of the warm-up upload sent to each server first
 * @param largeRounds           scenario 1: how often each server is measured (R between each pair)
 * @param smallUploadSize       scenario 2: the size of each upload
 * @param smallConcurrency      scenario 2: uploads in flight at once
 * @param smallWarmupCount      scenario 2: uploads sent to each server before measuring
 * @param smallCount            scenario 2: uploads per measurement
 * @param smallRounds           scenario 2: measurements per server
 * @param stormUploads          scenario 3: concurrent uploads
 * @param stormUploadSize       scenario 3: the size of each
 * @param stormHeap             scenario 3: -Xmx of the servers
 * @param stormSpillwayThreshold scenario 3: Spillway's {@code inMemoryThreshold}, above the upload
 *                              size so that only its memory budget protects it
 * @param stormRuns             scenario 3: runs per server, each in a fresh JVM
 * @param hugeUploadSize        scenario 4: the size of the upload
 * @param hugeHeap              scenario 4: -Xmx of the servers
 * @param hugeRuns              scenario 4: runs per server, each in a fresh JVM
 */
public record Profile(
        String name,
        String sharedHeap,
        long largeUploadSize,
        long largeWarmupSize,
        int largeRounds,
        long smallUploadSize,
        int smallConcurrency,
        int smallWarmupCount,
        int smallCount,
        int smallRounds,
        int stormUploads,
        long stormUploadSize,
        String stormHeap,
        String stormSpillwayThreshold,
        int stormRuns,
        long hugeUploadSize,
        String hugeHeap,
        int hugeRuns) {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final long GIB = 1024 * MIB;

    /** The run the issue asks for, about 10 to 20 minutes on 2 cores. */
    public static final Profile FULL = new Profile("full", "4g",
            GIB, 256 * MIB, 3,
            64 * KIB, 16, 500, 3000, 3,
            24, 64 * MIB, "256m", "100MB", 3,
            3 * GIB, "64m", 2);

    /** Small sizes for smoke-testing by hand, under 2 minutes. */
    public static final Profile QUICK = new Profile("quick", "1g",
            64 * MIB, 16 * MIB, 2,
            64 * KIB, 16, 200, 600, 2,
            24, 16 * MIB, "256m", "100MB", 1,
            512 * MIB, "64m", 1);

    /** Tiny sizes for the automated smoke test. */
    public static final Profile TINY = new Profile("tiny", "256m",
            8 * MIB, 2 * MIB, 1,
            64 * KIB, 16, 32, 160, 1,
            24, MIB, "64m", "100MB", 1,
            32 * MIB, "64m", 1);
}
