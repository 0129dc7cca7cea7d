package dev.kizuna.common;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML file whose shape does not fit what Kizuna reads, told in the words of the file's author
 * rather than Jackson's: "limits: expected keys once_per, every, quiet_hours; found a list".
 *
 * @param path    where, as the author reads it: {@code actions[0].channel}; empty for the whole file
 * @param pointer the same place as a JSON pointer ({@code /actions/0/channel}), to look up its line
 * @param message what is wrong there
 */
public record YamlMismatch(String path, String pointer, String message) {

    private static final Pattern TOKEN = Pattern.compile("token `JsonToken\\.([A-Z_]+)`");
    private static final Pattern FOUND_VALUE = Pattern.compile("from ([A-Za-z-]+) value \\((.*)\\)");

    /** The mismatch as one line: the path, then what is wrong. */
    public String describe() {
        return path.isEmpty() ? message : path + ": " + message;
    }

    /** Translates one of Jackson's mapping failures; {@code mapper} is the one that read the file. */
    public static YamlMismatch of(JsonMappingException e, ObjectMapper mapper) {
        List<JsonMappingException.Reference> references = e.getPath();
        if (e instanceof PropertyBindingException unknown) {
            // The last reference is the unknown key itself: the path is where it was written.
            String key = unknown.getPropertyName();
            List<JsonMappingException.Reference> parent =
                    references.isEmpty() ? references : references.subList(0, references.size() - 1);
            String expected = unknown.getReferringClass() == null
                    ? ""
                    : "; expected " + keysOf(mapper, mapper.constructType(unknown.getReferringClass()));
            return new YamlMismatch(pathOf(parent), pointerOf(references), "unknown key '" + key + "'" + expected);
        }
        String message;
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            JavaType target = mapper.constructType(mismatch.getTargetType());
            message = "expected " + expected(mapper, target) + "; found " + found(mismatch);
        } else {
            message = withoutJavaNames(e.getOriginalMessage());
        }
        return new YamlMismatch(pathOf(references), pointerOf(references), message);
    }

    private static String expected(ObjectMapper mapper, JavaType type) {
        Class<?> raw = type.getRawClass();
        if (raw.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                values.add(mapper.convertValue(constant, String.class));
            }
            return "one of " + String.join(", ", values);
        }
        if (raw == String.class) {
            return "text";
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return "true or false";
        }
        if (raw == Integer.class
                || raw == int.class
                || raw == Long.class
                || raw == long.class
                || raw == Short.class
                || raw == short.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(raw) || raw.isPrimitive()) {
            return "a number";
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            return "a list";
        }
        if (type.isMapLikeType() || Map.class.isAssignableFrom(raw)) {
            return "keys";
        }
        return keysOf(mapper, type);
    }

    /** "keys a, b, c": the keys a record or bean is read from, in the order they are declared. */
    private static String keysOf(ObjectMapper mapper, JavaType type) {
        List<String> keys = new ArrayList<>();
        for (BeanPropertyDefinition property :
                mapper.getDeserializationConfig().introspect(type).findProperties()) {
            keys.add(property.getName());
        }
        return keys.isEmpty() ? "keys" : "keys " + String.join(", ", keys);
    }

    private static String found(MismatchedInputException e) {
        if (e instanceof InvalidFormatException format) {
            Object value = format.getValue();
            return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
        }
        String original = e.getOriginalMessage();
        Matcher token = TOKEN.matcher(original);
        if (token.find()) {
            return switch (token.group(1)) {
                case "START_ARRAY" -> "a list";
                case "START_OBJECT", "FIELD_NAME" -> "keys";
                case "VALUE_STRING" -> "text";
                case "VALUE_NUMBER_INT", "VALUE_NUMBER_FLOAT" -> "a number";
                case "VALUE_TRUE", "VALUE_FALSE" -> "true or false";
                case "VALUE_NULL" -> "nothing";
                default -> "something else";
            };
        }
        Matcher value = FOUND_VALUE.matcher(original);
        if (value.find()) {
            String shown = value.group(2);
            return shown.startsWith("'") && shown.endsWith("'") && shown.length() >= 2
                    ? "\"" + shown.substring(1, shown.length() - 1) + "\""
                    : shown;
        }
        return "something else";
    }

    /** {@code actions[0].channel}: keys joined with dots, list positions in brackets. */
    private static String pathOf(Collection<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String pointerOf(Collection<JsonMappingException.Reference> references) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                pointer.append('/').append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                pointer.append('/').append(reference.getIndex());
            }
        }
        return pointer.toString();
    }

    /** For failures none of the cases above knows: at least no Java class names. */
    private static String withoutJavaNames(String message) {
        return message.replaceAll("`[A-Za-z0-9_.$<>]+`", "the value")
                .replaceAll("\\(class [^)]*\\)", "")
                .strip();
    }
}
