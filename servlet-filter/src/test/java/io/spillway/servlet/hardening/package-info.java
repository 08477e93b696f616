/**
 * The hardening suite: THREATS.md as executable tests, one class per threat group.
 *
 * <ul>
 *   <li>{@link io.spillway.servlet.hardening.MultipartDosTest}: threats 1-9, multipart parsing as a
 *       denial of service;</li>
 *   <li>{@link io.spillway.servlet.hardening.NamesAndPathsTest}: threats 10-11;</li>
 *   <li>{@link io.spillway.servlet.hardening.ResumableHardeningTest}: threats 12-16 across the
 *       filter (Content-Range sequences against {@link io.spillway.servlet.hardening.ChunkModel},
 *       baselines after every chunk, cut chunks); the protocol's own tests live in
 *       {@code io.spillway.servlet.resumable};</li>
 *   <li>{@link io.spillway.servlet.hardening.ClientAbortTest}: threat 21;
 *       {@link io.spillway.servlet.hardening.SlowDripTest}: 22;
 *       {@link io.spillway.servlet.hardening.BudgetUnderLoadTest}: 24;
 *       {@link io.spillway.servlet.hardening.DiskFullTest}: 25;
 *       {@link io.spillway.servlet.hardening.SoakTest}: 26;</li>
 *   <li>{@link io.spillway.servlet.hardening.CveRegressionTest}: one test per CVE class;</li>
 *   <li>{@link io.spillway.servlet.hardening.ClientConformanceTest}: curl, JDK HttpClient, Apache
 *       HttpClient 5 and OkHttp send the same upload;</li>
 *   <li>fuzz tests (Jazzer): {@link io.spillway.servlet.hardening.MultipartFuzzTest},
 *       {@link io.spillway.servlet.hardening.MultipartHttpFuzzTest},
 *       {@link io.spillway.servlet.hardening.FileNameFuzzTest},
 *       {@link io.spillway.servlet.hardening.ResumableFuzzTest} (Content-Range headers, chunk
 *       sequences against the reference model).</li>
 * </ul>
 *
 * <p>Every multipart case runs on both routes, forced by configuration ({@link
 * io.spillway.servlet.hardening.Mode}), with both parsers, and ends with {@link
 * io.spillway.servlet.hardening.Baseline#assertRestored()}: the temp directory, open descriptors and
 * the memory budget are back where they were.
 *
 * <h2>Fuzzing</h2>
 * Plain {@code mvn test} runs every fuzz test in regression mode, on the inputs kept under
 * {@code src/test/resources/io/spillway/servlet/hardening/*Inputs/<method>/}. To fuzz one method
 * (Jazzer fuzzes one per run, for the method's {@code maxDuration}, 5 minutes; do not kill the run
 * early, or the input in flight is written as a {@code crash-} file):
 * <pre>
 * JAZZER_FUZZ=1 mvn -o -pl servlet-filter -am test -Djacoco.skip=true -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='MultipartFuzzTest#anyBody_givesPartsWithinTheLimits_orADeliberateRefusal'
 * </pre>
 * Other targets: {@code MultipartFuzzTest#wellFormedBody_arrivesExactly_withBothParsers},
 * {@code MultipartHttpFuzzTest#anyBody_overHttp_isADeliberateAnswer_andLeavesNothing},
 * {@code FileNameFuzzTest#sanitize_givesASafeBaseName_whateverTheBytes},
 * {@code FileNameFuzzTest#contentDisposition_givesANameThatSanitizesSafely},
 * {@code ResumableFuzzTest#anyContentRangeHeader_isARange_aQuery_orA400},
 * {@code ResumableFuzzTest#randomChunkSequences_matchTheReferenceModel}. The generated corpus
 * goes to {@code servlet-filter/.cifuzz-corpus/}; a finding is written into the inputs directory
 * above, where it stays as a regression input once fixed.
 *
 * <h2>A real full disk</h2>
 * {@link io.spillway.servlet.hardening.DiskFullTest} also runs against a real small filesystem
 * when {@code SPILLWAY_SMALL_FS} (or {@code -Dspillway.smallFs}) names one, for example a tmpfs:
 * {@code mount -t tmpfs -o size=64m,mode=0700 tmpfs /tmp/spillway-small-fs}.
 */
package io.spillway.servlet.hardening;
