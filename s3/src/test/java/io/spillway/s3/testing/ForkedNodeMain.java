package io.spillway.s3.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Node} in its own JVM (started by {@link ForkedNode} with a small {@code -Xmx}): the
 * filter configured from {@code name=value} arguments and {@link PartsServlet} behind it. Prints
 * {@code PORT n} when ready; stops when its standard input closes.
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
        try (Node node = Node.start(params, new PartsServlet())) {
            System.out.println("PORT " + node.port());
            System.out.flush();
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (stdin.readLine() != null) {
                // wait until the parent closes our input
            }
        }
        System.exit(0);
    }
}
