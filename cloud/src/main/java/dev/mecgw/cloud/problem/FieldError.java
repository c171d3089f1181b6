package dev.mecgw.cloud.problem;

/**
 * One invalid input field.
 *
 * @param field dotted path of the field in the request body, or the query parameter name; never null
 * @param message client-safe explanation; never null
 */
public record FieldError(String field, String message) {}
