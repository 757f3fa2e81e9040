#!/usr/bin/env python3
"""Run the real AWS SAM translator (python package `samtranslator`) offline on
SAM templates and print, as one JSON document, what it produced for Lambda
functions and API Gateway APIs. Reference side of a differential test.

Usage: python3 tests/sam/translate.py TEMPLATE...

Output (stdout, json.dumps(indent=2, sort_keys=True)): a list, one object per
TEMPLATE argument, in argument order:

  {"file": "<path as given>",
   "functions": {"<SAM function logical id>": {"Runtime": ..., "MemorySize": ...,
                 "Timeout": ..., "Architectures": ..., "EphemeralStorage": ...,
                 "SnapStart": ..., "VpcConfig": ...,
                 "ProvisionedConcurrencyConfig": ...   # from the generated alias
                 }},
   "apis": {"<logical id>": {"kind": "rest"|"http"|"websocket",
                             "EndpointConfiguration": ...,   # REST APIs only, when present
                             "functions": ["<SAM function logical id>", ...]}},
   "error": null | "<message>"}

See tests/sam/README.md for the details (what is faked to stay offline, how
parameters are handled, how API -> function links are found).
"""

import os
import sys

# Offline and credential-free: fixed region, never read the user's AWS config or
# credential files, never ask the EC2 metadata service. Must be set before boto3
# / samtranslator are imported.
os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
os.environ["AWS_REGION"] = "us-east-1"
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_DEFAULT_PROFILE", None)

import copy  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402

import boto3  # noqa: E402  (a samtranslator dependency; only a Session, no client)
from samtranslator.model.exceptions import InvalidDocumentException  # noqa: E402
from samtranslator.parser.parser import Parser  # noqa: E402
from samtranslator.plugins.application.serverless_app_plugin import ServerlessAppPlugin  # noqa: E402
from samtranslator.sdk.parameter import SamParameterValues  # noqa: E402
from samtranslator.translator.translator import Translator  # noqa: E402
from samtranslator.utils.py27hash_fix import (  # noqa: E402
    to_py27_compatible_template,
    undo_mark_unicode_str_in_template,
)
from samtranslator.yaml_helper import yaml_parse  # noqa: E402

logging.getLogger("samtranslator").setLevel(logging.CRITICAL)
logging.getLogger("botocore").setLevel(logging.CRITICAL)

REGION = "us-east-1"
SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
FUNCTION_KEYS = (
    "Runtime",
    "MemorySize",
    "Timeout",
    "Architectures",
    "EphemeralStorage",
    "SnapStart",
    "VpcConfig",
    "ProvisionedConcurrencyConfig",
)
FAKE_S3 = "s3://archpolicy-stub-bucket/{}"
FAKE_HTTPS = "https://archpolicy-stub-bucket.s3.amazonaws.com/{}"
FAKE_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/archpolicy-stub:latest"


class StubManagedPolicyMap(dict):
    """Fallback managed-policy map (used only for names the map bundled with
    samtranslator does not know): any name -> arn:aws:iam::aws:policy/NAME."""

    def get(self, name, default=None):
        return "arn:aws:iam::aws:policy/{}".format(name)


class StubSarClient:
    """Serverless Application Repository stand-in for AWS::Serverless::Application
    resources whose Location is {ApplicationId, SemanticVersion}."""

    def _response(self, ApplicationId, SemanticVersion=None, **_):
        return {
            "ApplicationId": ApplicationId,
            "SemanticVersion": SemanticVersion,
            "TemplateId": "archpolicy-stub",
            "TemplateUrl": FAKE_HTTPS.format("sar-application.template"),
            "Status": "ACTIVE",
        }

    create_cloud_formation_template = _response
    get_application = _response

    def get_cloud_formation_template(self, ApplicationId, TemplateId, **_):
        return {"ApplicationId": ApplicationId, "TemplateId": TemplateId, "Status": "ACTIVE"}


# ---------------------------------------------------------------- loading


def _dates_to_strings(value):
    """PyYAML reads an unquoted 2010-09-09 as a date; CloudFormation reads it as
    the string it is written as."""
    if isinstance(value, dict):
        return {k: _dates_to_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_to_strings(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def load_template(path):
    with open(path, "rb") as handle:
        raw = handle.read()
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        template = json.loads(text)
    except ValueError:
        # samtranslator's own loader: PyYAML safe_load plus the CloudFormation
        # short-form tags (!Ref, !GetAtt, !Sub, !If, ...). Duplicate keys: the
        # last one wins, as with `sam deploy` / `aws cloudformation package`.
        template = yaml_parse(text)
    return _dates_to_strings(template)


def is_sam(template):
    if not isinstance(template, dict):
        return False
    transform = template.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    return SAM_TRANSFORM in transforms


# ---------------------------------------------------------------- packaging


def _is_s3(value):
    return isinstance(value, str) and value.startswith("s3://")


def _local_path(value):
    """A string that `sam package` would upload (not already an S3/HTTPS URI)."""
    return isinstance(value, str) and not value.startswith(("s3://", "https://", "http://"))


def fake_packaging(template):
    """Do what `sam build` / `sam package` do before CloudFormation sees the
    template: local paths of code and definitions become S3 URIs. None of the
    replaced properties is reported."""
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return
    glob = template.get("Globals") if isinstance(template.get("Globals"), dict) else {}
    gfun = glob.get("Function") if isinstance(glob.get("Function"), dict) else {}
    for section in ("Function", "Api", "HttpApi"):
        props = glob.get(section)
        if isinstance(props, dict):
            for key in ("CodeUri", "DefinitionUri"):
                if _local_path(props.get(key)):
                    props[key] = FAKE_S3.format("globals-" + key)
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        rtype = resource.get("Type")
        props = resource.get("Properties")
        if props is None and rtype == "AWS::Serverless::Function":
            props = resource["Properties"] = {}
        if not isinstance(props, dict):
            continue
        if rtype == "AWS::Serverless::Function":
            package_type = props.get("PackageType", gfun.get("PackageType"))
            if package_type == "Image":
                if "ImageUri" not in props and "ImageUri" not in gfun:
                    props["ImageUri"] = FAKE_IMAGE
            elif "InlineCode" in props or "InlineCode" in gfun:
                pass
            elif "CodeUri" in props:
                if _local_path(props["CodeUri"]):
                    props["CodeUri"] = FAKE_S3.format(logical_id)
            elif "CodeUri" not in gfun:
                # `sam build` defaults CodeUri to "." and `sam package` uploads it
                props["CodeUri"] = FAKE_S3.format(logical_id)
        elif rtype == "AWS::Serverless::LayerVersion":
            if _local_path(props.get("ContentUri")):
                props["ContentUri"] = FAKE_S3.format(logical_id)
        elif rtype in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::Serverless::StateMachine"):
            if _local_path(props.get("DefinitionUri")):
                props["DefinitionUri"] = FAKE_S3.format(logical_id)
        elif rtype == "AWS::Serverless::Application":
            if _local_path(props.get("Location")):
                props["Location"] = FAKE_HTTPS.format(logical_id + ".template")


# ---------------------------------------------------------------- translating


def translate(template):
    session = boto3.session.Session(region_name=REGION)
    parameter_values = {}
    # The translator itself adds the Parameters' Default values and the pseudo
    # parameters (AWS::Region us-east-1, AWS::Partition aws) to these; the SAR
    # stub plugin must see the same values.
    plugin_params = SamParameterValues(parameter_values)
    plugin_params.add_default_parameter_values(template)
    plugin_params.add_pseudo_parameter_values(session)
    translator = Translator(
        managed_policy_map=None,
        sam_parser=Parser(),
        plugins=[ServerlessAppPlugin(sar_client=StubSarClient(), parameters=plugin_params.parameter_values)],
        boto_session=session,
    )
    policy_map = StubManagedPolicyMap()
    # Same steps as samtranslator.translator.transform.transform(), which is what
    # the AWS-side transform runs.
    to_py27_compatible_template(template, parameter_values)
    output = translator.translate(
        template,
        parameter_values=parameter_values,
        get_managed_policy_map=lambda: policy_map,
    )
    return undo_mark_unicode_str_in_template(output)


# ---------------------------------------------------------------- reading the output

_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


def refs(value):
    """Logical ids referenced anywhere in value (Ref, Fn::GetAtt, Fn::Sub)."""
    found = set()

    def walk(v, local=()):
        if isinstance(v, list):
            for item in v:
                walk(item, local)
            return
        if not isinstance(v, dict):
            return
        if len(v) == 1:
            (key, arg), = v.items()
            if key == "Ref" and isinstance(arg, str):
                if not arg.startswith("AWS::"):
                    found.add(arg)
                return
            if key == "Fn::GetAtt":
                if isinstance(arg, list) and arg and isinstance(arg[0], str):
                    found.add(arg[0])
                elif isinstance(arg, str):
                    found.add(arg.split(".", 1)[0])
                return
            if key == "Fn::Sub":
                text, variables = (arg, {}) if isinstance(arg, str) else (None, {})
                if isinstance(arg, list) and arg:
                    text = arg[0]
                    variables = arg[1] if len(arg) > 1 and isinstance(arg[1], dict) else {}
                if isinstance(text, str):
                    for name in _SUB_VAR.findall(text):
                        if name in variables:
                            continue
                        head = name.split(".", 1)[0]
                        if not head.startswith("AWS::"):
                            found.add(head)
                walk(list(variables.values()))
                return
        for item in v.values():
            walk(item)

    walk(value)
    return found


def _integration_uris(body):
    """uri of every x-amazon-apigateway-integration object in a swagger/openapi
    body (authorizers are x-amazon-apigateway-authorizer: not integrations)."""
    uris = []

    def walk(v):
        if isinstance(v, dict):
            for key, item in v.items():
                if key == "x-amazon-apigateway-integration" and isinstance(item, dict):
                    uris.append(item.get("uri"))
                else:
                    walk(item)
        elif isinstance(v, list):
            for item in v:
                walk(item)

    walk(body)
    return uris


def summarize(sam_template, output):
    resources = output.get("Resources") or {}
    sam_functions = {
        logical_id
        for logical_id, resource in (sam_template.get("Resources") or {}).items()
        if isinstance(resource, dict) and resource.get("Type") == "AWS::Serverless::Function"
    }

    functions = {}
    for logical_id in sam_functions:
        resource = resources.get(logical_id)
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::Lambda::Function":
            continue
        props = resource.get("Properties") or {}
        functions[logical_id] = {key: props[key] for key in FUNCTION_KEYS if key in props}

    # Aliases and versions (AutoPublishAlias) stand for their function.
    owner = {logical_id: logical_id for logical_id in functions}
    for logical_id, resource in resources.items():
        if isinstance(resource, dict) and resource.get("Type") in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
            targets = refs((resource.get("Properties") or {}).get("FunctionName")) & set(functions)
            if len(targets) == 1:
                function_id = owner[logical_id] = targets.pop()
                # SAM moves ProvisionedConcurrencyConfig from the function to the
                # AutoPublishAlias alias it generates: report it with the function.
                pcc = (resource.get("Properties") or {}).get("ProvisionedConcurrencyConfig")
                if pcc is not None and resource["Type"] == "AWS::Lambda::Alias":
                    functions[function_id].setdefault("ProvisionedConcurrencyConfig", pcc)

    def to_functions(value):
        return {owner[r] for r in refs(value) if r in owner}

    apis = {}
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        rtype = resource.get("Type")
        props = resource.get("Properties") or {}
        if rtype == "AWS::ApiGateway::RestApi":
            api = {"kind": "rest"}
            if "EndpointConfiguration" in props:
                api["EndpointConfiguration"] = props["EndpointConfiguration"]
        elif rtype == "AWS::ApiGatewayV2::Api":
            api = {"kind": "websocket" if props.get("ProtocolType") == "WEBSOCKET" else "http"}
        else:
            continue
        linked = set()
        for uri in _integration_uris(props.get("Body")):
            linked |= to_functions(uri)
        api["_linked"] = linked
        apis[logical_id] = api

    for logical_id, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        rtype = resource.get("Type")
        props = resource.get("Properties") or {}
        if rtype == "AWS::ApiGateway::Method":
            targets, integration = refs(props.get("RestApiId")), props.get("Integration") or {}
            uri = integration.get("Uri") if isinstance(integration, dict) else None
        elif rtype == "AWS::ApiGatewayV2::Integration":
            targets, uri = refs(props.get("ApiId")), props.get("IntegrationUri")
        elif rtype == "AWS::Lambda::Permission":
            source = props.get("SourceArn")
            if "/authorizers/" in json.dumps(source):
                continue  # permission for a Lambda authorizer, not an integration
            targets, uri = refs(source), props.get("FunctionName")
        else:
            continue
        for api_id in targets & set(apis):
            apis[api_id]["_linked"] |= to_functions(uri)

    for api in apis.values():
        api["functions"] = sorted(api.pop("_linked"))
    return functions, apis


# ---------------------------------------------------------------- main


def process(path):
    entry = {"file": path, "functions": {}, "apis": {}, "error": None}
    try:
        template = load_template(path)
    except Exception as exc:  # noqa: BLE001 -- reported, never a crash
        entry["error"] = "cannot load template: {}: {}".format(type(exc).__name__, exc)
        return entry
    if not is_sam(template):
        entry["error"] = "not SAM"
        return entry
    sam_template = copy.deepcopy(template)
    try:
        fake_packaging(template)
        output = translate(template)
        entry["functions"], entry["apis"] = summarize(sam_template, output)
    except InvalidDocumentException as exc:
        causes = sorted({cause.message for cause in exc.causes})
        entry["error"] = " ".join([exc.message] + causes)
    except Exception as exc:  # noqa: BLE001 -- reported, never a crash
        entry["error"] = "{}: {}".format(type(exc).__name__, exc)
    return entry


def main(argv):
    if len(argv) < 2 or any(arg in ("-h", "--help") for arg in argv[1:]):
        sys.stderr.write("usage: python3 tests/sam/translate.py TEMPLATE...\n")
        return 2
    results = [process(path) for path in argv[1:]]
    sys.stdout.write(json.dumps(results, indent=2, sort_keys=True, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
