//! `kefu-server`: parse the command line, set up logging (to stderr, so stdout
//! carries only the documented start-up lines), and hand over to the library.

use clap::Parser;
use kefu_server::config::{AgentCommand, Cli, Command, KbCommand, LogFormat};
use std::io::IsTerminal;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
        LogFormat::Json => logs.json().with_current_span(false).init(),
    }
    let result = match cli.command {
        Command::Serve(args) => kefu_server::serve(*args).await,
        Command::Kb(KbCommand::Import(args)) => kb_import(args).await,
        Command::Kb(KbCommand::Eval(args)) => kb_eval(args).await,
        Command::Agent(AgentCommand::Add(args)) => agent_add(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` prints the context chain on one line, without a backtrace.
            eprintln!("kefu-server: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn kb_import(args: kefu_server::config::KbImportArgs) -> anyhow::Result<()> {
    use anyhow::Context;
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("creating data dir {}", args.data_dir.display()))?;
    let site = kefu_protocol::SiteId(args.site.clone());
    let line = kefu_server::cli::kb_import(&args.database_url(), &site, &args.file).await?;
    println!("{line}");
    Ok(())
}

async fn kb_eval(args: kefu_server::config::KbEvalArgs) -> anyhow::Result<()> {
    let site = kefu_protocol::SiteId(args.site.clone());
    let url = args.db.database_url();
    print!(
        "{}",
        kefu_server::cli::kb_eval(&url, &site, &args.file).await?
    );
    Ok(())
}

async fn agent_add(args: kefu_server::config::AgentAddArgs) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Read;
    let password = match args.password_stdin {
        true => {
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .context("reading the password from stdin")?;
            Some(kefu_server::cli::first_line(&input))
        }
        false => None,
    };
    std::fs::create_dir_all(&args.db.data_dir)
        .with_context(|| format!("creating data dir {}", args.db.data_dir.display()))?;
    let site = kefu_protocol::SiteId(args.site.clone());
    let url = args.db.database_url();
    let lines =
        kefu_server::cli::agent_add(&url, &site, &args.username, &args.name, args.role, password)
            .await?;
    println!("{}", lines.join("\n"));
    Ok(())
}
