//! What every request works with: the database, the configuration, the shared limits and
//! signing key, the policy table, and the runtime parts each journey registers at start-up
//! (its caches, hubs and job lists). It imports no journey: `server` assembles it from them.

use crate::config::Config;
use crate::db::Db;
use crate::error::AppError;
use crate::guard::Policy;
use crate::limits::Limits;
use axum::extract::FromRef;
use axum::http::Extensions;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    pub limits: Arc<Limits>,
    policies: Arc<[Policy]>,
    parts: Arc<Extensions>,
    signing_key: Arc<tokio::sync::OnceCell<Vec<u8>>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The journeys' runtime parts, one value per type, collected before the state is built.
#[derive(Default)]
pub struct Parts(Extensions);

impl Parts {
    pub fn insert<T: Clone + Send + Sync + 'static>(&mut self, part: T) {
        self.0.insert(part);
    }
}

impl AppState {
    pub fn new(
        leptos_options: LeptosOptions,
        db: Db,
        config: Config,
        policies: Vec<Policy>,
        parts: Parts,
    ) -> AppState {
        AppState {
            leptos_options,
            db,
            config: Arc::new(config),
            limits: Default::default(),
            policies: policies.into(),
            parts: Arc::new(parts.0),
            signing_key: Default::default(),
        }
    }

    /// A journey's runtime part. Every part is registered when the state is assembled
    /// (`server::state`), so a missing one is a wiring mistake the first test finds.
    pub fn part<T: Send + Sync + 'static>(&self) -> &T {
        self.parts.get::<T>().unwrap_or_else(|| {
            panic!(
                "{} is not registered in server::state",
                std::any::type_name::<T>()
            )
        })
    }

    /// The policy of the server function at `path`; none means nobody may call it.
    pub fn policy_for(&self, path: &str) -> Option<&Policy> {
        self.policies.iter().find(|policy| policy.path == path)
    }

    pub fn policies(&self) -> &[Policy] {
        &self.policies
    }

    /// A token for a public form of `purpose` rendered now.
    pub async fn public_form_token(&self, purpose: &str) -> Result<String, AppError> {
        let key = self.signing_key().await?;
        Ok(crate::limits::form_token(
            key,
            purpose,
            crate::db::now_secs(),
        ))
    }

    /// Checks a public form's token and honeypot; the answer is the form's id for the limits.
    pub async fn check_public_form(
        &self,
        purpose: &str,
        token: Option<&str>,
        honeypot: Option<&str>,
    ) -> Result<String, AppError> {
        let form = crate::limits::PublicForm {
            token: token.unwrap_or_default(),
            honeypot: honeypot.unwrap_or_default(),
        };
        form.check(self.signing_key().await?, purpose, crate::db::now_secs())
    }

    /// The key this installation signs form tokens and device cookies with: one per database,
    /// so every instance behind a load balancer accepts what another signed.
    pub async fn signing_key(&self) -> Result<&[u8], AppError> {
        self.signing_key
            .get_or_try_init(|| crate::db::instance_key(&self.db, "signing"))
            .await
            .map(Vec::as_slice)
            .map_err(AppError::from)
    }
}
