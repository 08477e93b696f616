package io.spillway.benchmarks.harness;

/**
 * The servers compared side by side. Each runs in its own JVM in embedded Tomcat 11 and does the
 * same application work: read every uploaded file fully and digest it (SHA-256).
 */
public enum ServerKind {

    /** Spillway's filter; the servlet reads the files through {@code request.getParts()}. */
    A("Spillway", "Spillway", "MemoryAwareUploadFilter in front of a servlet that reads request.getParts()"),
    /** Tomcat's own multipart support, every file written to disk. */
    B("Tomcat, disk", "Tomcat disk", "Tomcat's multipart-config, fileSizeThreshold=0 (every file to disk), servlet reads getParts()"),
    /** Tomcat's own multipart support, every file kept in memory. */
    C("Tomcat, memory", "Tomcat memory", "Tomcat's multipart-config, fileSizeThreshold=Integer.MAX_VALUE (every file in memory), servlet reads getParts()"),
    /** Commons FileUpload2's streaming API. */
    D("FileUpload2 streaming", "FileUpload2", "JakartaServletFileUpload#getItemIterator (2.0.0-M4), each item copied to a file while digested"),
    /** The physical limit: no parsing at all. */
    R("raw body", "raw body", "servlet copies the raw request body to a file while digesting it (the machine's limit)"),
    /** The floor of non-blocking reading: no parsing, no thread held. */
    N("non-blocking raw body", "NB raw body", "async servlet whose ReadListener copies the raw request body to a file while digesting it (what the container itself costs per upload in flight)");

    /** The filter class users declare in web.xml. */
    public static final String SPILLWAY_FILTER = "io.spillway.servlet.MemoryAwareUploadFilter";

    private final String label;
    private final String shortLabel;
    private final String description;

    ServerKind(String label, String shortLabel, String description) {
        this.label = label;
        this.shortLabel = shortLabel;
        this.description = description;
    }

    /** A short name for tables and charts. */
    public String label() {
        return label;
    }

    /** A name short enough to fit under a bar of the chart. */
    public String shortLabel() {
        return shortLabel;
    }

    /** What the server does, for the report. */
    public String description() {
        return description;
    }

    /** True when the server digests the whole request body rather than the file's content. */
    public boolean digestsWholeBody() {
        return this == R || this == N;
    }

    /** True when this server can run in this build (A needs the filter on the class path). */
    public boolean isAvailable() {
        if (this != A) {
            return true;
        }
        try {
            Class.forName(SPILLWAY_FILTER, false, ServerKind.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
