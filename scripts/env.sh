# Sourced by the run and test scripts: the tool paths and build settings both share.
export PATH="$PWD/target/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# cargo-leptos sets this at compile time; setting it for plain cargo too keeps one build of the
# Leptos crates instead of two that rebuild each other.
export LEPTOS_OUTPUT_NAME=tandem
