package io.spillway.servlet.hardening;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spillway.servlet.testing.RawHttpClient;
import io.spillway.servlet.testing.RawHttpClient.Framing;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fuzzes multipart bodies through the whole stack: Tomcat, the filter on both routes with both
 * parsers (the first input byte picks the mode and the framing), the application. Every answer is
 * 200 or a deliberate refusal with a short reason, never a 500; afterwards the temp directory,
 * descriptors and budget are back where they were. Slower than {@link MultipartFuzzTest}, which
 * drives the receiver directly.
 */
class MultipartHttpFuzzTest {

    @RegisterExtension
    static final Targets TARGETS = new Targets();
    private static final List<Mode> MODES = Mode.all().toList();

    @FuzzTest(maxDuration = "5m")
    @DictionaryFile(resourcePath = "multipart.dict")
    void anyBody_overHttp_isADeliberateAnswer_andLeavesNothing(byte[] input) {
        int selector = input.length == 0 ? 0 : input[0] & 0xff;
        byte[] body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        Mode mode = MODES.get(selector % MODES.size());
        Framing framing = (selector / MODES.size()) % 2 == 0 ? Framing.CONTENT_LENGTH : Framing.CHUNKED;
        Target target = TARGETS.get(mode, java.util.Map.of("maxParts", "8", "maxFieldSize", "4KB",
                "maxFileSize", "64KB", "maxRequestSize", "256KB", "maxPartHeaderSize", "1KB"));
        Baseline baseline = target.baseline();
        RawHttpClient.Response response = target.send(Body.create().bytes(body).post("/upload").framing(framing));
        String context = mode + " " + framing + ": " + response;
        assertTrue(response.status() == 200 || Responses.DELIBERATE.contains(response.status()), context);
        if (response.status() != 200) {
            Responses.assertShortReason(response);
        }
        baseline.assertRestored();
    }
}
