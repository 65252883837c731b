import { writeFile } from 'node:fs/promises';
import {
  BUILT_IN_SCENARIOS,
  inventoryYaml,
  loadScenario,
  type Scenario,
  scenarioRouters,
  scheduleEvents,
  startControlServer,
  startFleet,
} from '@tunnelwatch/sim';
import { type Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../program.js';

type SimOptions = {
  routers?: number;
  scenario?: string;
  inventory: string;
  controlPort: number;
  basePort?: number;
  timeScale?: number;
};

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description(
      'run simulated Cisco routers over SSH on 127.0.0.1 and write their inventory (docs/simulator.md)',
    )
    .option('--routers <n>', 'number of generated routers (overrides a scenario that generates)', integer(1))
    .option('--scenario <name|file>', `a built-in scenario (${BUILT_IN_SCENARIOS.join(', ')}) or a YAML file`)
    .option(
      '--inventory <file>',
      'where to write the inventory YAML for `tunnelwatch import`',
      'sim-inventory.yaml',
    )
    .option(
      '--control-port <port>',
      'HTTP control server port on 127.0.0.1 (0: any free port)',
      integer(0),
      0,
    )
    .option(
      '--base-port <port>',
      'first SSH port; routers get consecutive ports (default: any free ports)',
      integer(1),
    )
    .option(
      '--time-scale <factor>',
      'sim seconds per real second (default: the scenario, else 1)',
      Number.parseFloat,
    )
    .action(async (options: SimOptions) => {
      if (options.routers === undefined && options.scenario === undefined) {
        throw new UsageError('give --routers N, --scenario NAME|FILE, or both');
      }
      let scenario: Scenario = {};
      if (options.scenario !== undefined) {
        try {
          scenario = loadScenario(options.scenario);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
      }
      const timeScale = options.timeScale ?? scenario.timeScale ?? 1;
      const fleet = await startFleet({
        routers: scenarioRouters(scenario, options.routers),
        timeScale,
        ...(options.basePort === undefined ? {} : { basePort: options.basePort }),
      });
      scheduleEvents(fleet, scenario.events ?? []);
      const control = await startControlServer(fleet, options.controlPort);
      await writeFile(
        options.inventory,
        inventoryYaml(
          fleet.routers,
          `Simulated routers from tunnelwatch sim; valid while it runs.\nControl: ${control.url}`,
        ),
        { mode: 0o600 },
      );
      process.stdout.write(
        `${fleet.routers.length} simulated routers on 127.0.0.1 (time x${timeScale})\n` +
          `inventory: ${options.inventory}\ncontrol:   ${control.url}/routers\nCtrl-C to stop\n`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await control.close();
      await fleet.close();
    });
}

function integer(min: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min)
      throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return parsed;
  };
}
