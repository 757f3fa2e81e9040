//! Terraform plan JSON (`terraform show -json`), lowered to the
//! CloudFormation resources each planned resource stands for.

use super::err::ImportError;
use super::template::Template;
use crate::yaml::Node;

pub(super) fn lower(root: &Node) -> Result<Template, ImportError> {
    Err(ImportError::NotATemplate { why: "Terraform plans are not read yet".into(), span: Some(root.span) })
}
