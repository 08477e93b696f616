package io.spillway.sample.browser;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spillway.core.internal.json.Json;
import io.spillway.core.storage.LocalResumableStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The sample page in headless Chromium against the real Tomcat 11 distribution running the WAR
 * (with {@code -Xmx128m}): a 200 MiB file in 5 MiB Content-Range slices, a small file on the
 * buffered route, a server killed mid-upload, and a page reloaded mid-upload. Every upload is
 * checked against the SHA-256 that the server's application computed while storing it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UploadPageIT {

    private static final long MIB = 1L << 20;
    private static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration PATIENCE = Duration.ofSeconds(60);


    private final Path work = Path.of(System.getProperty("spillway.sample.workDirectory", "target/browser-tests"));
    private final Path screenshots = Path.of(System.getProperty("spillway.sample.screenshots", "target/screenshots"));
    private final HttpClient http = HttpClient.newHttpClient();

    private TomcatDistribution tomcat;
    private ChromeDriver chrome;

    @BeforeAll
    void startTomcatAndBrowser() throws Exception {
        TomcatDistribution.deleteRecursively(screenshots);
        Files.createDirectories(screenshots);
        tomcat = TomcatDistribution.prepare(
                Path.of(System.getProperty("spillway.sample.tomcatHome", "target/tomcat")),
                Path.of(System.getProperty("spillway.sample.war", "target/spillway-sample.war")),
                work.resolve("tomcat-base"), "128m");
        tomcat.start();
        chrome = Chromium.start(work.resolve("chromium-profile"), work.resolve("chromedriver.log"));
        chrome.get(tomcat.baseUrl());
    }

    @AfterAll
    void stopBrowserAndTomcat() throws Exception {
        try {
            if (chrome != null) {
                chrome.quit();
            }
        } finally {
            if (tomcat != null) {
                tomcat.close();
            }
        }
    }

    @Test
    @Order(10)
    void largeFile_goesUpInSlices_andTheServerStoresTheSameBytes() throws Exception {
        SeededFile file = SeededFile.create(work.resolve("files/large-200mib.bin"), 200 * MIB, 20_0001);

        Instant started = Instant.now();
        chooseAndAwaitUploaded(file, 40);
        screenshot("01-large-upload-in-progress");
        Map<String, Object> done = waitFor(file, item -> "done".equals(item.get("state")), "the upload to finish");
        System.out.printf("200 MiB uploaded in %d ms%n", Duration.between(started, Instant.now()).toMillis());

        assertEquals(100L, ((Number) done.get("progress")).longValue());
        assertEquals("100%", done.get("percentText"));
        assertFalse(((String) done.get("uploadId")).isEmpty(), "the upload went in slices with an Upload-Id");
        Map<String, Object> stored = storedFile(file.name());
        assertEquals(file.sha256(), stored.get("sha256"));
        assertEquals(file.size(), ((Number) stored.get("size")).longValue());
        assertEquals("STREAMED", stored.get("route"));
        waitForListedOnPage(file);
        waitUntil(() -> chrome.findElement(By.id("stat-counters")).getText().matches("[1-9]\\d* / \\d+"),
                "the health panel to count the completed upload");
        assertEquals("ok", chrome.findElement(By.id("health-state")).getText());
        String heap = chrome.findElement(By.id("stat-heap")).getText();
        assertTrue(heap.matches("[\\d.]+ (KiB|MiB) / 1\\d\\d(\\.\\d)? MiB"), "heap used / max of -Xmx128m: " + heap);
        screenshot("02-large-upload-done");
    }

    @Test
    @Order(20)
    void smallFile_goesUpInOneRequest_onTheBufferedRoute() throws Exception {
        SeededFile file = SeededFile.create(work.resolve("files/small-300kib.bin"), 300 * 1024, 3_0001);

        choose(file);
        Map<String, Object> done = waitFor(file, item -> "done".equals(item.get("state")), "the upload to finish");

        assertEquals("", done.get("uploadId"), "a small file is one multipart request, not slices");
        assertEquals("BUFFERED", done.get("route"));
        Map<String, Object> stored = storedFile(file.name());
        assertEquals(file.sha256(), stored.get("sha256"));
        assertEquals("BUFFERED", stored.get("route"));
        waitForListedOnPage(file);
        screenshot("03-small-upload-buffered");
    }

    @Test
    @Order(25)
    void severalFilesChosenAtOnce_queueUpAndAllArrive() throws Exception {
        List<SeededFile> files = List.of(
                SeededFile.create(work.resolve("files/queued-a-12mib.bin"), 12 * MIB, 7_0001),
                SeededFile.create(work.resolve("files/queued-b-3mib.bin"), 3 * MIB, 7_0002),
                SeededFile.create(work.resolve("files/queued-c-20mib.bin"), 20 * MIB, 7_0003));

        removeFinishedUploads();
        chrome.findElement(By.id("file-input")).sendKeys(String.join("\n",
                files.stream().map(f -> f.path().toAbsolutePath().toString()).toList()));

        for (SeededFile file : files) {
            waitFor(file, item -> "done".equals(item.get("state")), "the upload to finish");
            assertEquals(file.sha256(), storedFile(file.name()).get("sha256"));
        }
        assertEquals(3L, chrome.executeScript("return document.querySelectorAll('#queue li.upload').length;"));
    }

    @Test
    @Order(30)
    void serverKilledMidUpload_thePageRetriesAndResumes_andTheDigestMatches() throws Exception {
        SeededFile file = SeededFile.create(work.resolve("files/killed-200mib.bin"), 200 * MIB, 4_0001);

        chooseAndAwaitUploaded(file, 25);
        tomcat.kill();
        Map<String, Object> retrying = waitFor(file, item -> "retrying".equals(item.get("state")), "the page to notice");
        System.out.printf("tomcat killed at %s%%: %s%n", retrying.get("percent"), retrying.get("status"));
        screenshot("04-server-killed-retrying");
        tomcat.start();
        long resumedFrom = awaitDoneResumedFrom(file);
        assertTrue(resumedFrom > 0 && resumedFrom < file.size(),
                "the upload resumed from what the server kept, not from 0: " + resumedFrom);
        Map<String, Object> stored = storedFile(file.name());
        assertEquals(file.sha256(), stored.get("sha256"));
        assertEquals(file.size(), ((Number) stored.get("size")).longValue());
        screenshot("05-resumed-after-server-restart");
    }

    @Test
    @Order(40)
    void pageReloadedMidUpload_choosingTheSameFileResumesIt() throws Exception {
        SeededFile file = SeededFile.create(work.resolve("files/reloaded-120mib.bin"), 120 * MIB, 5_0001);

        chooseAndAwaitUploaded(file, 30);
        chrome.navigate().refresh();
        WebElement pending = chrome.findElement(By.id("pending"));
        waitUntil(() -> pending.isDisplayed() && pending.getText().contains(file.name()), "the unfinished upload listed");
        screenshot("06-reloaded-unfinished-upload-listed");
        choose(file);
        long resumedFrom = awaitDoneResumedFrom(file);
        assertTrue(resumedFrom >= 30 * file.size() / 100 - 5 * MIB && resumedFrom < file.size(),
                "the upload resumed where the reload cut it: " + resumedFrom);
        assertEquals(file.sha256(), storedFile(file.name()).get("sha256"));
        waitUntil(() -> !chrome.findElement(By.id("pending")).isDisplayed(), "the unfinished upload to disappear");
    }

    @Test
    @Order(50)
    void pauseAndResume_continuesFromWhatTheServerHas() throws Exception {
        SeededFile file = SeededFile.create(work.resolve("files/paused-80mib.bin"), 80 * MIB, 6_0001);

        chooseAndAwaitUploaded(file, 20);
        button(file, "pause").click();
        Map<String, Object> paused = waitFor(file, item -> "paused".equals(item.get("state")), "the pause");
        Thread.sleep(1000);
        assertEquals(paused.get("percent"), item(file).get("percent"), "nothing moves while paused");
        screenshot("07-paused");
        button(file, "resume").click();
        long resumedFrom = awaitDoneResumedFrom(file);
        assertTrue(resumedFrom >= 15 * file.size() / 100, "resumed from what the server had: " + resumedFrom);
        assertEquals(file.sha256(), storedFile(file.name()).get("sha256"));
    }

    @Test
    @Order(60)
    void fileOverMaxFileSize_isRefusedAtOnceWithAClearMessage() throws Exception {
        Path sparse = work.resolve("files/huge-9gib.bin");
        Files.deleteIfExists(sparse);
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(9L << 30); // sparse: no disk is used, and only the first slice is ever read
        }
        SeededFile huge = new SeededFile(sparse, 9L << 30, "");

        choose(huge);
        Map<String, Object> failed = waitFor(huge, item -> "failed".equals(item.get("state")), "the refusal");

        String status = (String) failed.get("status");
        assertTrue(status.startsWith("Failed · This file is larger than the server accepts."), status);
        assertTrue(status.contains("maxFileSize"), "the server's reason is shown: " + status);
        assertFalse(button(huge, "resume").isDisplayed(), "resuming cannot help a file that is too large");
        screenshot("08-too-large-refused");
        Files.delete(sparse);
    }

    @Test
    @Order(70)
    void afterEveryUpload_theFilterLeftNoTempFiles() throws Exception {
        Path spillwayTemp = tomcat.base().resolve("work/Catalina/localhost/ROOT/spillway");
        assertTrue(Files.isDirectory(spillwayTemp), spillwayTemp + " exists");

        // the filter finishes a request (deletes its files, stops tracking it) just after the answer
        // went out, so the last upload's cleanup may still be running: wait for it, then check
        await("the last upload's cleanup").atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> regularFiles(spillwayTemp).isEmpty() && idle(health()));
        assertEquals(List.of(), regularFiles(spillwayTemp));
        String health = health();
        System.out.println("health after every upload: " + health);
        assertTrue(idle(health), health);
    }

    @Test
    @Order(80)
    void atPhoneWidth_thePageStaysReadable() throws Exception {
        chrome.manage().window().setSize(new Dimension(390, 1400));
        try {
            waitUntil(() -> chrome.findElement(By.id("files-body")).findElements(By.tagName("tr")).size() > 0,
                    "the stored files listed");
            Long overflow = (Long) chrome.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertEquals(0L, overflow, "nothing is wider than the phone screen");
            Long height = (Long) chrome.executeScript("return document.documentElement.scrollHeight;");
            chrome.manage().window().setSize(new Dimension(390, (int) Math.min(4000, height + 150)));
            screenshot("09-phone-width");
        } finally {
            chrome.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    // --- the page -----------------------------------------------------------------------------

    private void choose(SeededFile file) {
        removeFinishedUploads();
        chrome.findElement(By.id("file-input")).sendKeys(file.path().toAbsolutePath().toString());
    }

    /** Chooses the file and waits until at least {@code atLeast}% of it is uploaded. */
    private void chooseAndAwaitUploaded(SeededFile file, int atLeast) {
        choose(file);
        waitFor(file, item -> "uploading".equals(item.get("state")) && percent(item) >= atLeast,
                atLeast + "% uploaded");
    }

    /** Waits for the file's upload to finish; returns the offset the page says it resumed from. */
    private long awaitDoneResumedFrom(SeededFile file) {
        Map<String, Object> done = waitFor(file, item -> "done".equals(item.get("state")), "the upload to finish");
        return Long.parseLong((String) done.get("resumedFrom"));
    }

    /** Clicks Remove on every finished upload, as a person tidying the queue would. */
    private void removeFinishedUploads() {
        for (WebElement remove : chrome.findElements(By.cssSelector("#queue [data-action=remove]"))) {
            if (remove.isDisplayed()) {
                remove.click();
            }
        }
    }

    /** A button of the newest queue item for the file. */
    private WebElement button(SeededFile file, String action) {
        List<WebElement> items = chrome.findElements(By.cssSelector("#queue li.upload")).stream()
                .filter(li -> li.findElement(By.className("upload-name")).getText().equals(file.name())).toList();
        return items.get(items.size() - 1).findElement(By.cssSelector("[data-action=" + action + "]"));
    }

    /** The newest queue item for the file, as the page renders it. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> item(SeededFile file) {
        return (Map<String, Object>) chrome.executeScript("""
                const items = [...document.querySelectorAll('#queue li.upload')]
                    .filter((li) => li.querySelector('.upload-name').textContent === arguments[0]);
                const li = items[items.length - 1];
                if (!li) return null;
                return {
                  state: li.dataset.state, percent: li.dataset.percent, uploadId: li.dataset.uploadId,
                  resumedFrom: li.dataset.resumedFrom, route: li.dataset.route,
                  progress: li.querySelector('progress').value,
                  percentText: li.querySelector('.upload-percent').textContent,
                  status: li.querySelector('.upload-status').textContent,
                };
                """, file.name());
    }

    private static int percent(Map<String, Object> item) {
        return Integer.parseInt((String) item.get("percent"));
    }

    /** Waits until the file's newest queue item meets the condition; fails early once the item has ended otherwise. */
    private Map<String, Object> waitFor(SeededFile file, Predicate<Map<String, Object>> condition, String what) {
        Predicate<Map<String, Object>> settled = item -> item != null
                && (condition.test(item) || List.of("failed", "canceled", "done").contains(item.get("state")));
        Map<String, Object> item;
        try {
            item = await(what).atMost(UPLOAD_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> item(file), settled::test);
        } catch (ConditionTimeoutException timedOut) {
            item = item(file);
        }
        if (item != null && condition.test(item)) {
            return item;
        }
        screenshot("failed-waiting-for-" + file.name());
        return fail("waited for " + what + " of " + file.name() + "; the page shows " + item);
    }

    private void waitForListedOnPage(SeededFile file) {
        waitUntil(() -> chrome.findElements(By.cssSelector("#files-body tr")).stream()
                .anyMatch(row -> file.sha256().equals(row.getAttribute("data-sha256"))
                        && row.getText().contains(file.name())), file.name() + " listed with its SHA-256");
    }

    private void waitUntil(java.util.function.BooleanSupplier condition, String what) {
        try {
            await(what).atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException timedOut) {
            screenshot("failed-waiting");
            fail("waited in vain for " + what);
        }
    }


    private void screenshot(String name) {
        try {
            Path shot = chrome.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            System.out.println("cannot save screenshot " + name + ": " + e);
        }
    }

    // --- the server ---------------------------------------------------------------------------

    private String health() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(tomcat.baseUrl() + "spillway/health")).build(),
                BodyHandlers.ofString()).body();
    }

    /** Whether the health report shows no upload in flight and no file in the temp directory. */
    private static boolean idle(String health) {
        Map<String, Object> report = Json.parseObject(health);
        return ((Number) ((Map<?, ?>) report.get("uploadsInFlight")).get("total")).longValue() == 0
                && ((Number) ((Map<?, ?>) report.get("tempDirectory")).get("files")).longValue() == 0;
    }

    /** The regular files under {@code root}; a file deleted while it is walked counts as still there. */
    private static List<Path> regularFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !LocalResumableStore.isEndingRecord(root.relativize(p))).toList();
        } catch (IOException | UncheckedIOException deletedMeanwhile) {
            return List.of(root.resolve("(a file deleted while listed)"));
        }
    }

    /** The newest file of that name in the application's listing. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> storedFile(String name) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create(tomcat.baseUrl() + "files")).build(),
                BodyHandlers.ofString()).body();
        List<Map<String, Object>> files = (List<Map<String, Object>>) Json.parseObject(body).get("files");
        Map<String, Object> newest = files.stream().filter(f -> name.equals(f.get("name"))).findFirst().orElse(null);
        assertNotNull(newest, name + " is not in the server's listing: " + body);
        return newest;
    }
}
