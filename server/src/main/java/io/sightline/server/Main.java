package io.sightline.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.server.config.ConfigSources;
import io.sightline.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code sightline} command. */
@Command(name = "sightline", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Metrics, traces and logs in one server that speaks the protocols of the OpenTelemetry Collector, "
        + "Prometheus, Loki, Tempo and Jaeger.",
    subcommands = {Main.ServerCommand.class, Main.DemoCommand.class, Main.ShopCommand.class,
        Main.ValidateCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  /** Options that shape the configuration, shared by {@code server} and {@code validate}. */
  static final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
        description = "A YAML config file (Sightline's or an OpenTelemetry Collector's). Repeat to lay several files "
            + "over each other. Without one, the built-in defaults apply.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "Override one config key, e.g. --set processors.batch.timeout=1s. Applied after the files.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--http-endpoint", paramLabel = "HOST:PORT",
        description = "Where the query APIs, UI and /metrics listen (server.http.endpoint; default 0.0.0.0:3000).")
    String httpEndpoint;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Where the embedded stores keep their data (server.data_dir; default ./data).")
    String dataDir;

    @Option(names = "--log-level", paramLabel = "LEVEL",
        description = "debug, info, warn or error (service.telemetry.logs.level; default info).")
    String logLevel;

    ConfigMap assemble() {
      List<String> all = new ArrayList<>(overrides);
      if (httpEndpoint != null) {
        all.add("server.http.endpoint=" + quoted(httpEndpoint));
      }
      if (dataDir != null) {
        all.add("server.data_dir=" + quoted(dataDir));
      }
      if (logLevel != null) {
        all.add("service.telemetry.logs.level=" + quoted(logLevel));
      }
      return new ConfigSources(YamlConfigLoader.withSystemEnvironment()).assemble(files, all);
    }

    /** The server these options describe, not started; null (the error printed) when the configuration is invalid. */
    Sightline build(boolean reloadable) {
      try {
        ConfigMap config = assemble();
        setLogLevel(ServerConfig.parse(config).logLevel());
        Sightline.Builder builder = Sightline.builder(config);
        if (reloadable) {
          builder.reloadFrom(this::assemble);
        }
        return builder.build();
      } catch (ConfigException e) {
        System.err.println("invalid configuration: " + e.getMessage());
        return null;
      }
    }

    private static String quoted(String s) {
      return "'" + s.replace("'", "''") + "'";
    }
  }

  @Command(name = "server", mixinStandardHelpOptions = true,
      description = "Run the server until SIGTERM or SIGINT, then shut down gracefully: receivers stop accepting, "
          + "pipelines drain, stores flush and close.")
  static final class ServerCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
      Sightline sightline = options.build(true);
      if (sightline == null) {
        return 2;
      }
      reloadOnSighup(sightline);
      return runUntilStopped(sightline, "failed to start", () -> null);
    }
  }

  @Command(name = "demo", mixinStandardHelpOptions = true,
      description = "Run the server on its embedded default storage with the demo shop (order, inventory and payment "
          + "services instrumented with the OpenTelemetry SDK) and traffic against it, until SIGTERM or SIGINT.")
  static final class DemoCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOptions options;

    @Option(names = "--no-traffic", description = "Start the shop without the traffic generator.")
    boolean noTraffic;

    @Option(names = "--shop-port", paramLabel = "PORT", defaultValue = "8080",
        description = "The order service's port (default 8080); inventory and payment take the next two.")
    int shopPort;

    @Option(names = "--orders-per-second", paramLabel = "N", defaultValue = "5",
        description = "The traffic generator's rate (default 5).")
    double ordersPerSecond;

    @Override
    public Integer call() throws Exception {
      Sightline sightline = options.build(false);
      if (sightline == null) {
        return 2;
      }
      return runUntilStopped(sightline, "failed to start the demo", () -> {
        Integer otlpHttp = sightline.receiverPorts("otlp").get("http");
        if (otlpHttp == null) {
          throw new UsageException("the demo needs the otlp receiver's http protocol (receivers.otlp.protocols.http)");
        }
        io.sightline.demo.Shop shop = io.sightline.demo.Shop.start(io.sightline.demo.ShopOptions.defaults()
            .withOtlpEndpoint("http://127.0.0.1:" + otlpHttp).withOrderPort(shopPort).withTraffic(!noTraffic)
            .withOrdersPerSecond(ordersPerSecond));
        System.out.println(DemoBanner.text(sightline.httpPort(), sightline.receiverPorts("otlp"), shopPort,
            !noTraffic));
        return shop;
      });
    }
  }

  @Command(name = "shop", mixinStandardHelpOptions = true,
      description = "Run only the demo shop, exporting OTLP/HTTP to a server elsewhere (as deploy/docker-compose.yaml "
          + "does), until SIGTERM or SIGINT.")
  static final class ShopCommand implements Callable<Integer> {
    @Option(names = "--otlp-endpoint", paramLabel = "URL", defaultValue = "http://127.0.0.1:4318",
        description = "The OTLP/HTTP base address to export to (default http://127.0.0.1:4318).")
    String otlpEndpoint;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
        description = "The address the services listen on (default 127.0.0.1; 0.0.0.0 in a container).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
        description = "The order service's port (default 8080); inventory and payment take the next two.")
    int port;

    @Option(names = "--no-traffic", description = "Start the shop without the traffic generator.")
    boolean noTraffic;

    @Override
    public Integer call() throws Exception {
      io.sightline.demo.Shop shop = io.sightline.demo.Shop.start(io.sightline.demo.ShopOptions.defaults()
          .withOtlpEndpoint(otlpEndpoint).withHost(host).withOrderPort(port).withTraffic(!noTraffic));
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        shop.close();
        stopped.countDown();
      }, "shutdown"));
      System.out.println("demo shop: http://" + host + ":" + port + "/orders, exporting to " + otlpEndpoint);
      stopped.await();
      return 0;
    }
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Check a configuration and exit: 0 when it is valid, 2 with the file, line and key otherwise.")
  static final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
      try {
        Sightline.builder(options.assemble()).build();
        System.out.println("configuration is valid");
        return 0;
      } catch (ConfigException e) {
        System.err.println("invalid configuration: " + e.getMessage());
        return 2;
      }
    }
  }

  /** What runs once the server has started; what it returns is closed before the server at shutdown. */
  @FunctionalInterface
  interface AfterStart {
    AutoCloseable run() throws Exception;
  }

  /** A command-line mistake found once the server runs: printed, exit code 2. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  /**
   * Starts the server, then {@code afterStart}, and waits for SIGTERM or SIGINT, when the shutdown hook closes what
   * {@code afterStart} returned and then the server.
   */
  static int runUntilStopped(Sightline sightline, String failure, AfterStart afterStart) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicReference<AutoCloseable> extra = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      AutoCloseable e = extra.get();
      if (e != null) {
        try {
          e.close();
        } catch (Exception ignored) {
          // the server's own shutdown matters more
        }
      }
      sightline.close();
      stopped.countDown();
    }, "shutdown"));
    try {
      sightline.start();
      extra.set(afterStart.run());
    } catch (UsageException e) {
      System.err.println(e.getMessage());
      return 2;
    } catch (Exception e) {
      LoggerFactory.getLogger(Main.class).atError().setCause(e).log(failure);
      return 1;
    }
    stopped.await();
    return 0;
  }

  /** SIGHUP reloads the configuration, as it does Prometheus'. */
  private static void reloadOnSighup(Sightline sightline) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
        try {
          sightline.reload();
        } catch (RuntimeException e) {
          LoggerFactory.getLogger(Main.class).atError().addKeyValue("err", e.getMessage())
              .log("error reloading the configuration");
        }
      });
    } catch (IllegalArgumentException e) {
      // a platform without SIGHUP: POST /-/reload still works
    }
  }

  static void setLogLevel(String level) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"sightline " + (v == null ? "dev" : v)};
    }
  }
}
