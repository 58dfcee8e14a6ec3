package com.example.plugin;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * A plugin of the AppHeap sample. Each of the sample's plugin class loaders defines its own copy
 * of this class and of {@link Rule}, so the dump holds three classes of each name, one per loader.
 * Only the plugin loaders ever load this package (the application refers to it by name).
 */
public final class PluginImpl implements IntSupplier {
    private final String name;
    private final Map<String, Rule> rules = new HashMap<>();

    public PluginImpl(String name, int rules) {
        this.name = name;
        for (int i = 0; i < rules; i++) {
            this.rules.put(name + "-rule-" + i, new Rule(i, "when sku ~ " + name + i + " then discount " + (i % 20)));
        }
    }

    /** The number of rules (instances of this loader's {@link Rule}). */
    @Override
    public int getAsInt() {
        return rules.size();
    }

    @Override
    public String toString() {
        return "plugin " + name;
    }
}
