package io.spillway.s3.testing;

import io.spillway.core.memory.MemoryProbe;
import io.spillway.core.memory.SystemMemoryProbe;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Node} in its own JVM (started by {@link io.spillway.servlet.testing.ForkedServer} with a
 * small {@code -Xmx}): the filter configured from {@code name=value} arguments and
 * {@link PartsServlet} behind it. Prints {@code PORT n} when ready; stops when its standard input
 * closes.
 *
 * <p>The filter takes each memory reading right after a full collection, so that heap in use is
 * the node's live data. The system's reading counts garbage too: at {@code -Xmx64m} the heap in use
 * swings between about 15 and 54 MiB during an upload, and above 48 MiB an 8 MiB part buffer no
 * longer fits in half of the headroom (the default {@code memoryFraction}), so whether the upload
 * got its part buffer or a 503 depended on where the collector was when it began.
 */
public final class ForkedNodeMain {

    private ForkedNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            params.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        try (Node node = Node.start(params, new PartsServlet(), liveHeapProbe())) {
            System.out.println("PORT " + node.port());
            System.out.flush();
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (stdin.readLine() != null) {
                // wait until the parent closes our input
            }
        }
        System.exit(0);
    }

    /** The system's readings, each taken right after {@link System#gc()} (a full collection). */
    private static MemoryProbe liveHeapProbe() {
        MemoryProbe system = SystemMemoryProbe.create();
        return () -> {
            System.gc();
            return system.sample();
        };
    }
}
