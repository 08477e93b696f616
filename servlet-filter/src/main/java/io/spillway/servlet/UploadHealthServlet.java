package io.spillway.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * Answers the upload filter's health as JSON: heap used and max, physical memory, the container
 * limit (null without one), the memory budget reserved and its capacity, uploads in flight by
 * route, uploads routed and rejected (by status) since start, and the temp directory's files,
 * bytes and free disk. Status {@code 200} with {@code "status":"ok"}, or {@code 503} with
 * {@code "status":"critical"} while heap usage is above {@code criticalHeapRatio} (a load
 * balancer can then send uploads elsewhere); {@code 503} too when the filter is not running.
 *
 * <p>The figures come from the latest memory sample (at most {@code probeInterval} old), so a
 * health check never waits on a probe. The document shows no paths and no client data, but it
 * does describe the server: protect the mapping as you would any status page.
 */
public class UploadHealthServlet extends FilterJsonServlet {

    private static final long serialVersionUID = 1L;

    @Override
    void answer(MemoryAwareUploadFilter filter, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Map<String, Object> report = filter.monitor().healthReport();
        JsonResponses.send(response, "ok".equals(report.get("status")) ? 200 : 503, report);
    }
}
