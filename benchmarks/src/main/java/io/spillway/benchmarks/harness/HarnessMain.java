package io.spillway.benchmarks.harness;

/**
 * The harness's command line: {@code java -jar benchmarks/target/spillway-benchmarks.jar [--quick]}.
 * See {@link HarnessOptions#USAGE} and {@code benchmarks/README.md}.
 */
public final class HarnessMain {

    private HarnessMain() {
    }

    /** Runs the harness and prints where the report is. */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(HarnessOptions.USAGE);
            return;
        }
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(HarnessOptions.USAGE);
            System.exit(2);
            return;
        }
        Harness harness = new Harness(options, System.out);
        HarnessResults results = harness.run();
        System.out.printf("report: %s (%.0f s)%n", harness.reportFile(), results.cpu().wallSeconds());
    }
}
