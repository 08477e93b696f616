package io.spillway.sample;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Opens the sample's {@link FileStore} when the web application starts.
 *
 * <p>The directory comes from the context-param {@value #STORAGE_PARAM}; {@code ${catalina.base}}
 * and {@code ${java.io.tmpdir}} in it are replaced by those system properties. Without the
 * param, files go to {@code ${catalina.base}/spillway-sample-files} (or the temp dir outside
 * Tomcat).
 */
public final class SampleContextListener implements ServletContextListener {

    /** Context-param naming the directory where uploaded files are kept. */
    public static final String STORAGE_PARAM = "storageDirectory";

    /** Servlet-context attribute holding the {@link FileStore}. */
    public static final String STORE_ATTRIBUTE = FileStore.class.getName();

    static final String DEFAULT_DIRECTORY = "${catalina.base}/spillway-sample-files";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Path directory = Path.of(resolve(context.getInitParameter(STORAGE_PARAM)));
        try {
            context.setAttribute(STORE_ATTRIBUTE, new FileStore(directory));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the storage directory " + directory, e);
        }
        context.log("spillway sample stores uploaded files in [" + directory.toAbsolutePath() + "]");
    }

    static String resolve(String configured) {
        String value = configured == null || configured.isBlank() ? DEFAULT_DIRECTORY : configured.strip();
        String tmp = System.getProperty("java.io.tmpdir");
        String base = System.getProperty("catalina.base", tmp);
        return value.replace("${catalina.base}", base).replace("${java.io.tmpdir}", tmp);
    }

    static FileStore store(ServletContext context) {
        return (FileStore) context.getAttribute(STORE_ATTRIBUTE);
    }
}
