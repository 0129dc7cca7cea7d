package dev.kizuna.templates;

/** A template that could not be rendered for a recipient; the message says which file, line and why. */
public class TemplateFailure extends RuntimeException {

    public TemplateFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
