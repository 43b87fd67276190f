//! The operator's command line: one binary serves, migrates, seeds and creates the first admin.

use crate::accounts::server::accounts::insert_account;
use crate::accounts::server::passwords::hash_password;
use crate::config::{
    check_database_url, Config, CookieSecurity, TrustProxy, DEFAULT_DATABASE_URL, DEFAULT_TILE_URL,
};
use crate::db::Db;
use crate::demo::seed::{seed_demo, SeedOutcome};
use crate::domain::role::Role;
use crate::domain::validation;
use crate::error::AppError;
use clap::{Args, Parser, Subcommand};
use std::io::BufRead;
use std::net::SocketAddr;

#[derive(Parser, Debug)]
#[command(
    name = "tandem",
    version,
    about = "Tandem: regional innovation partnerships (actor map, matchmaking, case studies)"
)]
pub struct Cli {
    /// sqlite://path/to/file.db (default) or postgres://user@host/db
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Apply migrations and serve the web application (the default)
    Serve(ServeArgs),
    /// Apply pending database migrations and exit
    Migrate,
    /// Load the demo region (actors, connections, an event, case studies) once
    Seed,
    /// Create an admin account; the password comes from TANDEM_ADMIN_PASSWORD or one line of stdin
    CreateAdmin(CreateAdminArgs),
    /// Fill an empty database with a synthetic region for load tests and benchmarks
    Generate(GenerateArgs),
    /// Add a synthetic live event with that many people checked in, for load tests,
    /// benchmarks and the projector's tests; prints its address
    GenerateEvent(GenerateEventArgs),
    /// Read a weighted pair list (CSV lines `a,b,weight`) and print the maximum-weight matching
    /// as JSON: the chosen pairs, their total weight and who stays unmatched
    Match(MatchArgs),
}

#[derive(Args, Debug)]
pub struct MatchArgs {
    /// The pair list; `-` reads standard input
    pub file: std::path::PathBuf,
    /// Only consider matchings with as many pairs as possible (then the heaviest of those)
    #[arg(long)]
    pub max_cardinality: bool,
}

#[derive(Args, Debug, Default)]
pub struct ServeArgs {
    /// Address and port to listen on
    #[arg(long, env = "TANDEM_BIND", default_value = "127.0.0.1:3000")]
    pub bind: Option<SocketAddr>,
    /// The address people use to reach this instance (links, cookie security, CSRF checks)
    #[arg(long, env = "TANDEM_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Map tiles: `off` (default) shows only the bundled district basemap; `osm` or a URL
    /// template with {z}, {x}, {y} adds tiles, fetched by each visitor's browser from that server
    #[arg(long, env = "TANDEM_TILE_URL", default_value = DEFAULT_TILE_URL)]
    pub tile_url: Option<String>,
    /// Mark cookies `Secure`: auto (when the public URL is https), always, never
    #[arg(long, env = "TANDEM_COOKIE_SECURE", value_enum, default_value = "auto")]
    pub cookie_secure: Option<CookieSecurity>,
    /// Trust X-Forwarded-For from your own reverse proxies: the number of proxies in front
    /// (`--trust-proxy` alone means one) or their networks (`10.0.0.0/8,::1`); default off
    #[arg(long, env = "TANDEM_TRUST_PROXY", num_args = 0..=1, default_missing_value = "1")]
    pub trust_proxy: Option<String>,
    /// The region actors lie in, as south,west,north,east in degrees; positions outside are
    /// refused (0/0, swapped latitude and longitude). Default: Germany
    #[arg(long, env = "TANDEM_REGION")]
    pub region: Option<String>,
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Number of actors
    #[arg(long, default_value_t = 5000)]
    pub actors: usize,
    /// Number of connections
    #[arg(long, default_value_t = 20000)]
    pub connections: usize,
    /// Seed of the generator; the same seed gives the same region
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

#[derive(Args, Debug)]
pub struct GenerateEventArgs {
    /// Number of people, all checked in
    #[arg(long, default_value_t = 300)]
    pub people: usize,
    /// Seed of the generator; the same seed gives the same people
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Write everyone's personal link (path from the site's root), one per line, to this file
    #[arg(long)]
    pub links: Option<std::path::PathBuf>,
}

#[derive(Args, Debug)]
pub struct CreateAdminArgs {
    /// Email address the admin signs in with
    #[arg(long)]
    pub email: String,
    /// Name shown in the app
    #[arg(long, default_value = "Administrator")]
    pub name: String,
}

/// Runs the command; the error is one line for the operator.
pub async fn run(cli: Cli) -> Result<(), String> {
    check_database_url(&cli.database_url)?;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => {
            let mut config = Config::new(
                cli.database_url,
                args.bind
                    .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000))),
                args.public_url,
                args.tile_url.unwrap_or_else(|| DEFAULT_TILE_URL.to_owned()),
                args.cookie_secure.unwrap_or(CookieSecurity::Auto),
                TrustProxy::parse(args.trust_proxy.as_deref().unwrap_or("off"))?,
            )?;
            if let Some(region) = &args.region {
                config.region = crate::config::Region::parse(region)?;
            }
            crate::server::serve(config).await
        }
        Command::Migrate => {
            open(&cli.database_url).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed => {
            let db = open(&cli.database_url).await?;
            match seed_demo(&db).await? {
                SeedOutcome::Seeded { actors, connections, registrations, case_studies } => println!(
                    "demo data loaded: {actors} actors, {connections} connections, 1 event with {registrations} registrations, {case_studies} case studies"
                ),
                SeedOutcome::AlreadySeeded => println!("demo data already loaded; nothing changed"),
            }
            Ok(())
        }
        Command::Generate(args) => {
            let db = open(&cli.database_url).await?;
            let size = crate::demo::synthetic::SyntheticSize {
                actors: args.actors,
                connections: args.connections,
                seed: args.seed,
            };
            let (actors, connections) = crate::demo::synthetic::load(&db, size).await?;
            println!("synthetic region generated: {actors} actors, {connections} connections");
            Ok(())
        }
        Command::GenerateEvent(args) => {
            let db = open(&cli.database_url).await?;
            let event =
                crate::demo::synthetic_event::load_event(&db, args.people, args.seed).await?;
            if let Some(path) = &args.links {
                let links: String = event
                    .tokens
                    .iter()
                    .map(|token| format!("/veranstaltungen/{}/ich/{token}\n", event.slug))
                    .collect();
                std::fs::write(path, links)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
            println!("/veranstaltungen/{}", event.slug);
            Ok(())
        }
        Command::Match(args) => {
            let text = if args.file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())
            } else {
                std::fs::read_to_string(&args.file)
            }
            .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
            let list = crate::domain::matching::read_pair_list(&text)?;
            let choice = crate::domain::matching::choose_pairs(&list, args.max_cardinality)?;
            println!(
                "{}",
                serde_json::to_string(&choice).map_err(|e| e.to_string())?
            );
            Ok(())
        }
        Command::CreateAdmin(args) => {
            let db = open(&cli.database_url).await?;
            let password = match std::env::var("TANDEM_ADMIN_PASSWORD") {
                Ok(password) => password,
                Err(_) => {
                    eprintln!("password for {} (one line on stdin):", args.email);
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .map_err(|e| format!("cannot read the password: {e}"))?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            create_admin(&db, &args.email, &args.name, password).await?;
            println!("admin {} created", args.email.trim());
            Ok(())
        }
    }
}

async fn open(url: &str) -> Result<Db, String> {
    let db = Db::connect(url).await?;
    db.migrate().await?;
    Ok(db)
}

/// Creates an active admin account after the same checks the web forms apply.
pub async fn create_admin(
    db: &Db,
    email: &str,
    name: &str,
    password: String,
) -> Result<i64, String> {
    let locale = crate::i18n::Locale::En;
    let email = validation::email(email).map_err(|p| format!("email: {}", p.text(locale)))?;
    let name = validation::display_name(name).map_err(|p| format!("name: {}", p.text(locale)))?;
    validation::new_password(&password, &email)
        .map_err(|p| format!("password: {}", p.text(locale)))?;
    let hash = hash_password(password).await.map_err(|e| e.to_string())?;
    match insert_account(db, &email, &name, Role::Admin, Some(hash)).await {
        Ok((id, _)) => Ok(id),
        Err(AppError::Invalid { problem, .. }) => Err(format!("email: {}", problem.text(locale))),
        Err(error) => Err(error.to_string()),
    }
}
