//! Which service a proposal's `import.select` names, and the name that
//! names one service alone. One function can serve several services (an
//! API integration and a function URL, two URLs), so the function's
//! logical ID is not always a service's identity: its front door is. The
//! loader and `import --write` both ask here, so a written proposal always
//! selects the service it was written for.

use super::classify::{Classification, ImportedService};
use super::template::Template;

/// Whether `wanted` names `service`: its compute resource (the function or
/// the ECS service) or its front door (the API, URL or load balancer), each
/// by logical ID or by `cdk synth`'s construct path.
pub fn names(template: &Template, service: &ImportedService, wanted: &str) -> bool {
    let is = |id: &str| {
        id == wanted || template.resources.get(id).is_some_and(|r| r.cdk_path.as_deref() == Some(wanted))
    };
    is(service.select.raw()) || service.resources.first().is_some_and(|front| is(front.raw()))
}

impl Classification {
    /// The services `wanted` names; more than one is ambiguous.
    pub fn selected_by<'a>(&'a self, template: &Template, wanted: &str) -> Vec<&'a ImportedService> {
        self.services.iter().filter(|s| names(template, s, wanted)).collect()
    }

    /// The logical ID that names `service` alone: its compute resource's
    /// when it serves only this service, else its front door's; `None`
    /// when neither does (two services with the same front door and compute).
    pub fn selector<'a>(&self, template: &Template, service: &'a ImportedService) -> Option<&'a str> {
        let alone = |id: &str| self.selected_by(template, id).len() == 1;
        [Some(&service.select), service.resources.first()].into_iter().flatten().map(|u| u.raw()).find(|id| alone(id))
    }
}
