package com.example.plugin;

/** One pricing rule of a plugin (defined once per plugin class loader). */
final class Rule {
    final int priority;
    final String expression;

    Rule(int priority, String expression) {
        this.priority = priority;
        this.expression = expression;
    }
}
