package dev.kizuna.security;

import dev.kizuna.audit.AuditLog;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.util.Arrays;

/** The command line for API keys: {@code keys create <role> <name>}, {@code keys list}, {@code keys revoke <id>}. */
public class KeysCommand implements QuarkusApplication {

    static final String USAGE = """
            usage: keys create <write|csm|marketer|admin> <name>
                   keys list
                   keys revoke <id>""";

    @Inject
    ApiKeys keys;

    @Inject
    AuditLog audit;

    @Override
    public int run(String... args) {
        return run(System.out, System.err, args);
    }

    int run(PrintStream out, PrintStream err, String... args) {
        if (args.length < 2 || !args[0].equals("keys")) {
            err.println(USAGE);
            return 2;
        }
        String actor = "command line (" + System.getProperty("user.name", "unknown user") + ")";
        try {
            switch (args[1]) {
                case "create" -> {
                    Role role = args.length >= 4 ? Role.ofWireName(args[2]) : null;
                    if (role == null) {
                        err.println(USAGE);
                        return 2;
                    }
                    String name = String.join(" ", Arrays.copyOfRange(args, 3, args.length));
                    ApiKeys.CreatedKey created = keys.create(role, name);
                    audit.recordAs(
                            actor,
                            "key.create",
                            "key " + created.id(),
                            created.role() + " key '" + created.name() + "'");
                    out.println("created " + created.role() + " key " + created.id() + " '" + created.name() + "'");
                    out.println("secret (shown only now): " + created.secret());
                }
                case "list" -> {
                    for (ApiKeys.KeyView key : keys.list()) {
                        out.printf(
                                "%d\t%s\t%s\tcreated %s%s%n",
                                key.id(),
                                key.role(),
                                key.name(),
                                key.createdAt(),
                                key.revokedAt() == null ? "" : "\trevoked " + key.revokedAt());
                    }
                }
                case "revoke" -> {
                    if (args.length != 3 || !args[2].matches("\\d{1,18}")) {
                        err.println(USAGE);
                        return 2;
                    }
                    ApiKeys.KeyView revoked = keys.revoke(Long.parseLong(args[2]));
                    audit.recordAs(
                            actor,
                            "key.revoke",
                            "key " + revoked.id(),
                            revoked.role() + " key '" + revoked.name() + "'");
                    out.println("revoked key " + revoked.id() + " '" + revoked.name() + "'");
                }
                default -> {
                    err.println(USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (dev.kizuna.problem.ProblemException e) {
            err.println(e.getMessage());
            return 1;
        }
    }
}
