package dev.kizuna.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kizuna.messages.Channel;
import dev.kizuna.problem.Problem.Violation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiPredicate;

/** Reads and validates one rule file; every problem names the file and, where known, the line. */
final class RuleFileReader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** Whether a template exists for a channel; rules may only name templates that do. */
    private final BiPredicate<String, Channel> templateExists;

    RuleFileReader(BiPredicate<String, Channel> templateExists) {
        this.templateExists = templateExists;
    }

    /** The outcome of reading one file: a rule, or the reasons it is not one. */
    record Outcome(Rule rule, List<Violation> problems) {}

    Outcome read(String file, String content) {
        String id = file.replaceFirst("\\.ya?ml$", "");
        YamlLines lines = YamlLines.of(content);
        RuleDefinition definition;
        try {
            definition = YAML.readValue(content, RuleDefinition.class);
        } catch (JsonProcessingException e) {
            return failed(Violation.inFile(file, lineOf(e, lines), plainMessage(e)));
        }
        if (definition == null) {
            return failed(Violation.inFile(file, 1, "the file is empty"));
        }
        List<Violation> problems = new ArrayList<>();
        if (definition.trigger() == null || blank(definition.trigger().event())) {
            problems.add(Violation.inFile(file, lines.lineOf("/trigger"), "trigger.event is required: the event that makes this rule look at a user"));
        }
        if (definition.actions() == null || definition.actions().isEmpty()) {
            problems.add(Violation.inFile(file, lines.lineOf("/actions"), "actions is required: at least one channel and template"));
        } else {
            for (int i = 0; i < definition.actions().size(); i++) {
                RuleDefinition.Action action = definition.actions().get(i);
                String at = "/actions/" + i;
                if (action.channel() == null) {
                    problems.add(Violation.inFile(file, lines.lineOf(at), "actions[" + i + "].channel is required: email or inapp"));
                } else if (blank(action.template())) {
                    problems.add(Violation.inFile(file, lines.lineOf(at), "actions[" + i + "].template is required"));
                } else if (!templateExists.test(action.template(), action.channel())) {
                    problems.add(Violation.inFile(file, lines.lineOf(at + "/template"),
                            "actions[" + i + "].template '" + action.template() + "' has no " + action.channel().wireName()
                                    + " template in the templates folder"));
                }
            }
        }
        Condition condition = Condition.ALWAYS;
        try {
            condition = Condition.compile(definition.condition());
        } catch (Condition.InvalidCondition e) {
            problems.add(Violation.inFile(file, lines.lineOf("/condition"), "condition does not compile: " + e.getMessage()));
        }
        if (!problems.isEmpty()) {
            return new Outcome(null, problems);
        }
        return new Outcome(new Rule(id, file, versionOf(content), definition, condition), List.of());
    }

    private static Outcome failed(Violation violation) {
        return new Outcome(null, List.of(violation));
    }

    /** The line of the offending key where the path is known; Jackson's own position points past it. */
    private static Integer lineOf(JsonProcessingException e, YamlLines lines) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder pointer = new StringBuilder();
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                pointer.append('/').append(reference.getFieldName() != null ? reference.getFieldName() : reference.getIndex());
            }
            Integer line = lines.lineOf(pointer.toString());
            if (line != null) {
                return line;
            }
        }
        return e.getLocation() == null || e.getLocation().getLineNr() < 0 ? null : e.getLocation().getLineNr();
    }

    /** Jackson's message without the Java class names that mean nothing to a marketer. */
    private static String plainMessage(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().get(mapping.getPath().size() - 1).getFieldName();
            if (message.startsWith("Unrecognized field")) {
                return "unknown key '" + field + "'";
            }
            message = "'" + field + "': " + message;
        }
        return message.replaceAll("`[a-z.]+\\.([A-Za-z$]+)`", "$1").replace("dev.kizuna.", "");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** A short content hash: the rule's version, stored on every message it produces. */
    static String versionOf(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
