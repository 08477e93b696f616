package io.spillway.benchmarks.parser;

import io.spillway.core.multipart.FastMultipartParser;
import io.spillway.core.multipart.MultipartLimits;
import io.spillway.core.multipart.MultipartReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.commons.fileupload2.core.MultipartInput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-core parsing speed of one 256 MiB file part: {@link FastMultipartParser} against
 * FileUpload2's {@link MultipartInput}. Each operation is one MiB of part content, so the score
 * reads directly as MiB/s on one core. Content is read with a 64 KiB buffer and discarded
 * ({@code transferTo} variant: written to a null stream).
 *
 * <p>Run from the project root (JMH's annotation processor generates the harness at compile time):
 * <pre>
 * mvn -q -B -pl benchmarks -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/cp.txt
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/cp.txt)" org.openjdk.jmh.Main ParserBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ParserBenchmark.CONTENT_MIB)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ParserBenchmark {

    static final int CONTENT_MIB = 256;
    private static final long CONTENT_LENGTH = (long) CONTENT_MIB << 20;
    private static final byte[] BOUNDARY = SyntheticBody.BOUNDARY.getBytes(StandardCharsets.ISO_8859_1);

    private final byte[] readBuffer = new byte[64 * 1024];

    @Benchmark
    public long fastRead() throws IOException {
        MultipartReader reader = new FastMultipartParser().open(new SyntheticBody(CONTENT_LENGTH), BOUNDARY,
                new MultipartLimits(512));
        reader.nextPart();
        long total = drain(reader.content());
        if (reader.nextPart() != null) {
            throw new IllegalStateException("one part expected");
        }
        return check(total);
    }

    @Benchmark
    public long fastTransferTo() throws IOException {
        MultipartReader reader = new FastMultipartParser().open(new SyntheticBody(CONTENT_LENGTH), BOUNDARY,
                new MultipartLimits(512));
        reader.nextPart();
        return check(reader.content().transferTo(OutputStream.nullOutputStream()));
    }

    @Benchmark
    public long fileUpload2DefaultBuffer() throws IOException {
        return fileUpload2(4096);
    }

    @Benchmark
    public long fileUpload2Buffer64k() throws IOException {
        return fileUpload2(64 * 1024);
    }

    private long fileUpload2(int bufferSize) throws IOException {
        MultipartInput input = MultipartInput.builder().setInputStream(new SyntheticBody(CONTENT_LENGTH))
                .setBoundary(BOUNDARY).setBufferSize(bufferSize).get();
        input.skipPreamble();
        input.readHeaders();
        long total = drain(input.newInputStream());
        if (input.readBoundary()) {
            throw new IllegalStateException("one part expected");
        }
        return check(total);
    }

    private long drain(InputStream content) throws IOException {
        long total = 0;
        for (int n = content.read(readBuffer); n >= 0; n = content.read(readBuffer)) {
            total += n;
        }
        return total;
    }

    private static long check(long total) {
        if (total != CONTENT_LENGTH) {
            throw new IllegalStateException("parsed " + total + " bytes, expected " + CONTENT_LENGTH);
        }
        return total;
    }
}
