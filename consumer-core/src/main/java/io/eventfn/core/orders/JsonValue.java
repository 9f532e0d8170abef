package io.eventfn.core.orders;

import com.fasterxml.jackson.core.JsonToken;

/**
 * A JSON value as read, before it is checked: its token and, for a scalar, its text as written. Of an object or
 * an array only the kind is kept ({@code text} is null), which is all a rule or a reason needs.
 */
record JsonValue(JsonToken token, String text) {
}
