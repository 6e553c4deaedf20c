// `ember`: Ember's command-line tool. Each subcommand is a thin shell over
// the libraries, the way a user's own program would call them.

import ArgumentParser

@main
struct EmberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ember",
        abstract: "Ember: inspect and convert checkpoints (and, later, classify images and run text models).",
        subcommands: [Inspect.self, Convert.self]
    )
}

/// Output styles shared by subcommands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
