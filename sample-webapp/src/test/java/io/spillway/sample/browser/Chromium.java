package io.spillway.sample.browser;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, both by explicit path, so that
 * Selenium Manager never looks for (or downloads) a browser or a driver.
 */
final class Chromium {

    private Chromium() {
    }

    static ChromeDriver start(Path userDataDir, Path driverLog) throws Exception {
        Path browser = Path.of(System.getProperty("spillway.sample.chromium", "/usr/bin/chromium"));
        Path driver = Path.of(System.getProperty("spillway.sample.chromedriver", "/usr/bin/chromedriver"));
        for (Path required : new Path[] {browser, driver}) {
            if (!Files.isExecutable(required)) {
                throw new IllegalStateException(required + " is missing: install Debian's chromium and chromium-driver"
                        + " (apt-get install -y chromium chromium-driver), or skip the browser tests with -DskipITs");
            }
        }
        TomcatDistribution.deleteRecursively(userDataDir);
        Files.createDirectories(userDataDir);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile())
                .usingAnyFreePort()
                .withLogFile(new File(driverLog.toString()))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + userDataDir.toAbsolutePath(),
                "--window-size=1280,1000", "--lang=en-US");
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        chrome.manage().window().setSize(new Dimension(1280, 1000));
        return chrome;
    }
}
