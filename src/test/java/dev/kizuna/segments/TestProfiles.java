package dev.kizuna.segments;

import java.nio.file.Path;

/** A profile catalog over a rules folder, for plain unit tests. */
public final class TestProfiles {

    private TestProfiles() {}

    public static ProfileCatalog catalog(Path rulesDir) {
        ProfileCatalog catalog = new ProfileCatalog(() -> rulesDir);
        catalog.reload();
        return catalog;
    }
}
