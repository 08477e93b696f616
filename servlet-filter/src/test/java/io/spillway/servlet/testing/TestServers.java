package io.spillway.servlet.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts {@link TestServer}s for a test and closes them after it, last started first, so that no
 * test class writes its own {@code @AfterEach} for its server.
 *
 * <pre>{@code
 * @RegisterExtension
 * final TestServers servers = new TestServers();
 * ... TestServer server = servers.start(TestServer.builder().filter(...).servlet(...));
 * }</pre>
 */
public final class TestServers implements AfterEachCallback {

    private final List<TestServer> started = new ArrayList<>();

    /** Starts the server and closes it after the test. */
    public TestServer start(TestServer.Builder builder) {
        TestServer server = builder.start();
        started.add(server);
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
        } finally {
            started.clear();
        }
    }
}
