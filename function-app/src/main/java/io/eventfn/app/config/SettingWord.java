package io.eventfn.app.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** A setting that takes one of a few words, each the {@link #setting()} of an enum constant. */
interface SettingWord {

    /** The word users write, e.g. {@code at-least-once}. */
    String setting();

    /** @return the constant whose word is {@code value} (surrounding blanks ignored) */
    static <E extends Enum<E> & SettingWord> Optional<E> find(E[] choices, String value) {
        String word = value == null ? null : value.trim();
        return Arrays.stream(choices).filter(choice -> choice.setting().equals(word)).findFirst();
    }

    /**
     * @param choices  the allowed constants, the default first
     * @param variable the environment variable the value came from
     * @throws InvalidSettingException naming {@code variable}, the allowed words and the default
     */
    static <E extends Enum<E> & SettingWord> E parse(E[] choices, String value, String variable) {
        return find(choices, value).orElseThrow(() -> new InvalidSettingException(variable + "='" + value
                + "' is not supported: set it to one of "
                + Arrays.stream(choices).map(SettingWord::setting).collect(Collectors.joining(", "))
                + " (default " + choices[0].setting() + ")."));
    }
}
