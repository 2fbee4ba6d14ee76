//! The credential of a machine account: a managed identity has no storable key, so its
//! credential is the client secret of an Entra application whose service principal gets
//! every grant of the identity.

use cpg_infra_abstraction::{Exported, Handle, MachineAccount, Output, Session};

use super::{AzureInfra, CLOUD};
use crate::credentials::{self, CredentialKeys};
use crate::members::Principal;

impl<'b> AzureInfra {
    /// `Cloud::machine_account_credentials`: the Entra application, its service principal
    /// (which gets the identity's grants) and its client secret, exported.
    pub(super) fn credential_of(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        account: &Handle<'b, MachineAccount>,
    ) -> Exported {
        let keys = CredentialKeys::new(&self.logical(key));
        let identity = self
            .identity_names
            .get(account.resource())
            .cloned()
            .unwrap_or_else(|| account.resource().to_owned());
        let display_name = format!(
            "{}-{}-{identity}",
            self.settings.name_prefix, self.settings.dataset
        );
        for resource in credentials::resources(
            &keys,
            &display_name,
            self.settings.credential_end_date,
            &self.settings.credential_rotation,
        ) {
            session.add(resource);
        }
        let credential = Principal {
            object_id: Output::resource(&keys.service_principal, "objectId").into(),
            principal_type: Some("ServicePrincipal"),
            label: format!("service-principal:{}", keys.service_principal),
            account: None,
        };
        self.credential_principals
            .insert(account.resource().to_owned(), credential.clone());
        self.replay_grants(session, account.resource(), &credential);
        session.note(
            key,
            format!(
                "a managed identity has no storable key: the credential is the client secret of the Entra application `{display_name}`, whose service principal gets every grant of {}",
                account.resource()
            ),
        );
        session.note(
            key,
            format!(
                "the client secret ends on {} ([infrastructure.azure] credential_rotation_date plus credential_lifetime_days = {}) and nothing renews it: rotate it before then by moving credential_rotation_date forward and running pulumi up, which replaces the secret and updates every secret that holds it (changing credential_rotation, now `{}`, replaces it too but keeps the end date)",
                self.settings.credential_end_date,
                self.settings.credential_lifetime_days,
                self.settings.credential_rotation
            ),
        );
        Exported {
            cloud: CLOUD,
            what: format!(
                "client secret of the Entra application of {}",
                account.resource()
            ),
            value: credentials::value(&keys, &self.settings.tenant_id),
        }
    }
}
