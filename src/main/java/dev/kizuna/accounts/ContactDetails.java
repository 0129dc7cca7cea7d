package dev.kizuna.accounts;

/** The parts of an identify call Kizuna needs to reach a person; any of them may be absent. */
public record ContactDetails(String email, String name, String locale, String timezone) {}
