package io.spillway.benchmarks.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The command line of the harness.
 *
 * @param profile    the sizes to run
 * @param servers    the servers to compare
 * @param scenarios  the scenarios to run (1 to 4)
 * @param outputDir  where {@code results-<profile>.md}, {@code .svg}, {@code .png} and {@code .json} are written
 * @param workDir    where the servers' directories and logs go, null for the system's temporary directory
 * @param flightRecordings true to record every server JVM with Java Flight Recorder (profile
 *                   settings) next to its log, to see what limits it
 * @param spillwayParams init-params given to Spillway (server A) in every scenario, besides a
 *                   scenario's own (which win); empty for its defaults
 */
public record HarnessOptions(Profile profile, Set<ServerKind> servers, Set<Integer> scenarios, Path outputDir, Path workDir,
                             boolean flightRecordings, Map<String, String> spillwayParams) {

    /** The usage text printed by {@code --help} and on mistakes. */
    public static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar benchmarks/target/spillway-benchmarks.jar [--quick | --tiny] [--servers A,B,C,D,R]",
            "           [--scenarios 1,2,3,4] [--out DIR] [--spillway name=value,...]",
            "  (default)    the full run: 1 GiB, 64 KiB x 16, 24 x 64 MiB at -Xmx256m, 3 GiB at -Xmx64m",
            "  --quick      small sizes for a smoke test by hand (under 2 minutes)",
            "  --tiny       tiny sizes, used by the automated smoke test",
            "  --servers    which servers to compare (default: all; A needs Spillway's filter on the class path)",
            "  --scenarios  which scenarios to run (default: all)",
            "  --out        output directory (default: benchmarks/results when run from the project root, else results)",
            "  --work       where servers write their files and logs (default: the system's temporary directory)",
            "  --jfr        record each server JVM with Java Flight Recorder, next to its log (perturbs the figures a little)",
            "  --spillway   init-params for Spillway (A) in every scenario, e.g. nonBlockingIntake=true (default: none)");

    /** Parses the command line. */
    public static HarnessOptions parse(String... args) {
        Profile profile = Profile.FULL;
        Set<ServerKind> servers = EnumSet.allOf(ServerKind.class);
        Set<Integer> scenarios = new TreeSet<>(Set.of(1, 2, 3, 4));
        Path work = null;
        boolean jfr = false;
        Map<String, String> spillway = Map.of();
        Path out = Files.isDirectory(Path.of("benchmarks")) ? Path.of("benchmarks", "results") : Path.of("results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> profile = Profile.QUICK;
                case "--tiny" -> profile = Profile.TINY;
                case "--servers" -> servers = parseServers(valueOf(args, ++i));
                case "--scenarios" -> scenarios = parseScenarios(valueOf(args, ++i));
                case "--out" -> out = Path.of(valueOf(args, ++i));
                case "--work" -> work = Path.of(valueOf(args, ++i));
                case "--jfr" -> jfr = true;
                case "--spillway" -> spillway = parseParams(valueOf(args, ++i));
                default -> throw new IllegalArgumentException("unknown option: " + args[i]);
            }
        }
        return new HarnessOptions(profile, servers, scenarios, out, work, jfr, spillway);
    }

    private static Map<String, String> parseParams(String list) {
        Map<String, String> params = new TreeMap<>();
        for (String pair : list.split(",")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("--spillway takes name=value pairs separated by commas: " + pair);
            }
            params.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return Map.copyOf(params);
    }

    private static String valueOf(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }

    private static Set<ServerKind> parseServers(String list) {
        Set<ServerKind> servers = EnumSet.noneOf(ServerKind.class);
        for (String name : list.split(",")) {
            try {
                servers.add(ServerKind.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--servers takes letters among A,B,C,D,R: " + name, e);
            }
        }
        return servers;
    }

    private static Set<Integer> parseScenarios(String list) {
        Set<Integer> scenarios = new TreeSet<>();
        for (String number : list.split(",")) {
            String trimmed = number.trim();
            if (!trimmed.matches("[1-4]")) {
                throw new IllegalArgumentException("--scenarios takes numbers among 1,2,3,4: " + number);
            }
            scenarios.add(Integer.parseInt(trimmed));
        }
        return scenarios;
    }
}
