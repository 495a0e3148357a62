package io.sightline.bench;

import io.sightline.bench.logs.LogGen;
import io.sightline.bench.logs.LogLoad;
import io.sightline.bench.logs.LogQuery;
import io.sightline.bench.otlp.OtlpLoad;
import io.sightline.bench.promql.QueryLoad;
import io.sightline.bench.remotewrite.RemoteWriteLoad;
import io.sightline.bench.traces.TraceLoad;
import io.sightline.bench.traces.TraceQuery;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar sightline-bench.jar <generator> [options]}. */
@Command(name = "sightline-bench", mixinStandardHelpOptions = true,
    subcommands = {OtlpLoad.class, RemoteWriteLoad.class, QueryLoad.class, TraceLoad.class, TraceQuery.class,
        LogGen.class, LogLoad.class, LogQuery.class},
    description = "Load generators for benchmarking Sightline against its peers on this machine.")
public final class Bench {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Bench()).execute(args));
  }
}
