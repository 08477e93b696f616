package io.spillway.servlet.testing;

import io.spillway.servlet.MemoryAwareUploadFilter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A server in its own JVM (started by {@link ForkedServer} with a small {@code -Xmx}): Tomcat, the
 * filter configured from {@code name=value} arguments, and {@link PartsEchoServlet} on
 * {@code /upload}. Prints {@code PORT n} when ready; exits when its standard input closes.
 * {@code GET /heap} answers the peak heap use seen since start, in bytes; {@code POST /heap}
 * collects garbage and answers the heap still in use, in bytes.
 */
public final class ForkedServerMain {

    private ForkedServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            params.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        try (TestServer server = TestServer.builder()
                .filter(new MemoryAwareUploadFilter(), params, "/upload/*", "/upload")
                .servlet("/upload/*", new PartsEchoServlet())
                .servlet("/heap", new HeapServlet())
                .start()) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (stdin.readLine() != null) {
                // wait until the parent closes our input
            }
        }
        System.exit(0);
    }

    /** Answers the sum of heap pools' peak usage (GET), or the heap in use after a full collection (POST). */
    static final class HeapServlet extends jakarta.servlet.http.HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp)
                throws java.io.IOException {
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            resp.getWriter().print(peak);
        }

        @Override
        protected void doPost(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp)
                throws java.io.IOException {
            System.gc();
            System.gc();
            resp.getWriter().print(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
    }
}
