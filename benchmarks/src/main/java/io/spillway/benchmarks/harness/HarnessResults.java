package io.spillway.benchmarks.harness;

import io.spillway.benchmarks.harness.scenario.HugeUploadScenario;
import io.spillway.benchmarks.harness.scenario.LargeUploadScenario;
import io.spillway.benchmarks.harness.scenario.MemoryStormScenario;
import io.spillway.benchmarks.harness.scenario.SmallUploadsScenario;
import java.util.List;

/**
 * Everything one harness run measured; a scenario that did not run is null.
 *
 * @param options   the command line
 * @param machine   the machine
 * @param cpu       CPU used by the harness and by other processes during the run
 * @param servers   the servers compared
 * @param notes     remarks for the report (servers skipped, failures to start)
 * @param large     scenario 1
 * @param small     scenario 2
 * @param storm     scenario 3
 * @param huge      scenario 4
 */
public record HarnessResults(HarnessOptions options, MachineInfo machine, CpuAccounting.Usage cpu, List<ServerKind> servers, List<String> notes,
                             LargeUploadScenario.Result large, SmallUploadsScenario.Result small, MemoryStormScenario.Result storm,
                             HugeUploadScenario.Result huge) {
}
