//! Reading organisation resources that a stack does not manage (Pulumi `get:`),
//! shared by the cloud plugins: the id is checked against the resource type's
//! shape, a read-only resource joins the plan, and the organisation's members
//! point at it.

use cpg_infra_config::ExistingResources;

use crate::handles::Member;
use crate::organisation::Organisation;
use crate::registry::CheckResourceId;
use crate::resource::Resource;
use crate::session::Session;

/// Adds read-only resources to one cloud's plan.
pub struct ExistingReader<'p, 'b> {
    /// The session whose plan the resources join (and whose brand mints their handles).
    pub session: &'p mut Session<'b>,
    /// Prefix of the logical names (`existing-`, `azure-existing-`).
    pub prefix: &'static str,
    /// The cloud's id check.
    pub check: CheckResourceId,
}

impl<'b> ExistingReader<'_, 'b> {
    /// Adds `<prefix><name>`, a read-only `token` resource with cloud id `id`, after
    /// checking the id; `key` names the configuration key in messages. Returns the
    /// logical name.
    pub fn read(
        &mut self,
        key: &str,
        name: &str,
        token: &'static str,
        id: &str,
    ) -> Result<String, String> {
        if let Some(problem) = (self.check)(token, id, None) {
            return Err(format!(
                "[infrastructure.existing.{}] {key}: {problem}",
                self.session.cloud()
            ));
        }
        let name = format!("{}{name}", self.prefix);
        let mut resource = Resource::existing(token, &name, id);
        resource.component = "existing";
        self.session.plan_mut().add(resource);
        Ok(name)
    }

    /// Reads the organisation identities that `existing` names (Cromwell runner,
    /// analysis-runner server, web server) as `token` resources and points the
    /// organisation's members of those names at them.
    pub fn identities(
        &mut self,
        existing: &ExistingResources,
        organisation: &mut Organisation<'b>,
        token: &'static str,
    ) -> Result<(), String> {
        let identities = [
            (
                "cromwell_runner",
                &existing.cromwell_runner,
                &mut organisation.cromwell_runner,
            ),
            (
                "analysis_runner_server",
                &existing.analysis_runner_server,
                &mut organisation.analysis_runner_server,
            ),
            (
                "web_server",
                &existing.web_server,
                &mut organisation.web_server,
            ),
        ];
        for (key, id, member) in identities {
            if let Some(id) = id {
                let name = self.read(key, &key.replace('_', "-"), token, id)?;
                *member = Some(Member::MachineAccount(self.session.handle(name)));
            }
        }
        Ok(())
    }
}
