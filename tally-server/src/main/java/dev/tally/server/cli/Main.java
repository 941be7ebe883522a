package dev.tally.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tally}: with no subcommand it serves. */
@Command(
        name = "tally",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Self-hosted data events service that speaks Intercom's Events API.",
        subcommands = {
            ServeCommand.class,
            AdminCommand.class,
            ImportCommand.class,
            ExportCommand.class,
            BackupCommand.class,
            RestoreCommand.class
        })
public final class Main implements Runnable {
    public static void main(String[] args) {
        String[] effective = args.length == 0 ? new String[] {"serve"} : args;
        int exit = new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(effective);
        if (exit != 0 || !effective[0].equals("serve")) {
            System.exit(exit);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The version from the jar manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tally " + (version == null ? "dev" : version)};
        }
    }
}
