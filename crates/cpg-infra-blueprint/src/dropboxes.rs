//! The upload dropbox server's configuration: each dataset with `upload_config.dropboxes`
//! writes its own dropboxes into its own secret `dropbox-config-<dataset>` in the server's
//! project, which only the server reads. The server lists the secrets named
//! `dropbox-config-*` there, so no program has to see every dataset (see ARCHITECTURE.md,
//! "Upload dropboxes"). The buckets themselves are rows of the bucket table.

use cpg_infra_abstraction::{Exported, ProjectRef, SecretMembership, Value};
use cpg_infra_config::CloudName;

use super::Blueprint;
use super::buckets;
use cpg_infra_abstraction::{OrganisationProject, OrganisationResource};

/// The start of every dropbox configuration secret's name (`<prefix><dataset>`).
pub const DROPBOX_CONFIG_SECRET_PREFIX: &str = "dropbox-config-";

impl Blueprint<'_, '_> {
    /// The dataset's dropbox configuration secret, readable by the dropbox server: its
    /// dropboxes as configured, each with the dataset (`project`) and its uploaders'
    /// ids on this cloud.
    pub(super) fn setup_dropbox_config(&mut self) {
        if !buckets::has_dropboxes(self.dataset) {
            return;
        }
        let Some(upload) = &self.dataset.upload_config else {
            return;
        };
        let key = "dropbox-config-accessor";
        let server = self.organisation.dropbox_server.clone();
        let Some(server) = self.require(server.as_ref(), key, OrganisationResource::DropboxServer)
        else {
            return;
        };
        let cloud = self.infra.cloud();
        let cloud_name = CloudName::parse(cloud).ok();
        let dropboxes: Vec<serde_json::Value> = upload
            .dropboxes
            .iter()
            .map(|dropbox| {
                // Validation requires an id on every cloud the dataset deploys to.
                let uploaders: Vec<&str> = dropbox
                    .uploaders
                    .iter()
                    .filter_map(|user| {
                        let user = self.config.users.get(user)?;
                        Some(user.clouds.get(cloud_name.as_ref()?)?.id.as_str())
                    })
                    .collect();
                let mut entry = serde_json::to_value(dropbox).unwrap_or_default();
                if let serde_json::Value::Object(fields) = &mut entry {
                    fields.insert("project".to_owned(), self.dataset_name().into());
                    fields.insert("uploaders".to_owned(), uploaders.into());
                }
                entry
            })
            .collect();
        let contents = serde_json::json!({ "dropboxes": dropboxes }).to_string();
        let secret = self.infra.create_secret(
            &format!("{DROPBOX_CONFIG_SECRET_PREFIX}{}", self.dataset_name()),
            &ProjectRef::Organisation(OrganisationProject::DataDropbox),
        );
        self.infra.add_secret_version(
            "dropbox-config-version",
            &secret,
            &Exported {
                cloud,
                what: "the dataset's upload dropboxes".to_owned(),
                value: Value::str(contents),
            },
        );
        self.infra
            .add_secret_member(key, &secret, &server, SecretMembership::Accessor);
    }
}
