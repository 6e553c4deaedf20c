// `ember`: Ember's command-line tool. Each subcommand is a thin shell over
// the libraries, the way a user's own program would call them.

import ArgumentParser

@main
struct EmberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ember",
        abstract: "Ember: classify images, tokenize, embed and classify text, fine-tune models, and inspect and convert checkpoints.",
        subcommands: [Classify.self, TrainImage.self, Tokenize.self, Embed.self, FineTune.self, Predict.self,
                      Inspect.self, Convert.self]
    )
}

/// Output styles shared by subcommands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
