//! Fixtures named after SPEC "IAM policy semantics" and "Decisions on edge cases", and the
//! policies of the three seed documents (copied verbatim from `shared/seeds/`).

use iam_evidence::policy::{
    Applicability, Context, Statement, allow_requires_mfa, parse_export_document, statement_applies,
};
use serde_json::{Value, json};

/// A compact verdict per context: `A` always, `N` never, `~` narrowed.
fn verdicts(statement: &Statement) -> String {
    Context::ALL
        .iter()
        .map(|&c| match statement_applies(statement, c) {
            Applicability::Always => 'A',
            Applicability::Never => 'N',
            Applicability::Narrowed(_) => '~',
        })
        .collect()
}

fn statement_with(effect: &str, condition: Value) -> Statement {
    let doc = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": effect, "Action": "*", "Resource": "*", "Condition": condition}]});
    let policy = parse_export_document(&doc, "/Doc").unwrap();
    policy.statements.into_iter().next().unwrap()
}

/// Verdicts in K, S, M of a Deny under `condition`.
fn kms(condition: Value) -> String {
    verdicts(&statement_with("Deny", condition))
}

fn requires_mfa(condition: Value) -> bool {
    allow_requires_mfa(&statement_with("Allow", condition))
}

const P: &str = "aws:MultiFactorAuthPresent";
const AGE: &str = "aws:MultiFactorAuthAge";

// --- "to deny without MFA" ---------------------------------------------------------------

#[test]
fn deny_bool_if_exists_false_applies_in_k_and_s() {
    assert_eq!(kms(json!({"BoolIfExists": {P: "false"}})), "AAN");
}

#[test]
fn deny_bool_false_applies_in_s_never_in_k() {
    assert_eq!(kms(json!({"Bool": {P: "false"}})), "NAN");
}

#[test]
fn deny_null_age_true_applies_in_k_and_s() {
    assert_eq!(kms(json!({"Null": {AGE: "true"}})), "AAN");
}

#[test]
fn deny_via_aws_service_false_alongside_narrows_nothing() {
    let s = statement_with(
        "Deny",
        json!({"BoolIfExists": {P: "false"}, "Bool": {"aws:ViaAWSService": "false"}}),
    );
    assert_eq!(verdicts(&s), "AAN");
}

#[test]
fn deny_narrowed_by_source_ip_names_the_condition() {
    let s = statement_with(
        "Deny",
        json!({"BoolIfExists": {P: "false"}, "IpAddress": {"aws:SourceIp": ["10.0.0.0/8"]}}),
    );
    assert_eq!(verdicts(&s), "~~N");
    let narrowing = statement_applies(&s, Context::K);
    let rendered: Vec<String> = narrowing
        .narrowing()
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(rendered, [r#"IpAddress aws:SourceIp ["10.0.0.0/8"]"#]);
    assert_eq!(
        narrowing.narrowing()[0].pointer,
        "/Doc/Statement/0/Condition/IpAddress/aws:SourceIp"
    );
}

#[test]
fn deny_with_an_age_limit_only_applies_with_mfa_only() {
    assert_eq!(kms(json!({"NumericGreaterThan": {AGE: "30"}})), "NNA");
}

// --- "to allow only with MFA" ------------------------------------------------------------

#[test]
fn allow_bool_true_requires_mfa() {
    assert!(requires_mfa(json!({"Bool": {P: "true"}})));
}

#[test]
fn allow_null_age_false_requires_mfa() {
    assert!(requires_mfa(json!({"Null": {AGE: "false"}})));
}

#[test]
fn allow_numeric_less_than_age_requires_mfa() {
    assert!(requires_mfa(json!({"NumericLessThan": {AGE: "3600"}})));
    assert!(requires_mfa(json!({"NumericLessThanEquals": {AGE: 3600}})));
}

#[test]
fn allow_bool_if_exists_true_does_not_require_mfa() {
    assert!(!requires_mfa(json!({"BoolIfExists": {P: "true"}})));
    assert_eq!(
        verdicts(&statement_with(
            "Allow",
            json!({"BoolIfExists": {P: "true"}})
        )),
        "ANA"
    );
}

#[test]
fn allow_without_condition_does_not_require_mfa() {
    assert!(!requires_mfa(json!({})));
}

#[test]
fn allow_numeric_if_exists_on_age_does_not_require_mfa() {
    assert!(!requires_mfa(
        json!({"NumericLessThanIfExists": {AGE: "3600"}})
    ));
}

#[test]
fn allow_requires_mfa_is_false_for_a_deny() {
    assert!(!allow_requires_mfa(&statement_with(
        "Deny",
        json!({"Bool": {P: "true"}})
    )));
}

#[test]
fn allow_with_mfa_and_unknown_key_still_requires_mfa() {
    // An MFA test that is false in K and S decides, whatever the unknown key does.
    assert!(requires_mfa(
        json!({"Bool": {P: "true"}, "StringEquals": {"sts:ExternalId": "x"}})
    ));
}

// --- absent keys: each operator family ---------------------------------------------------

#[test]
fn absent_key_makes_positive_operators_false() {
    for op in [
        "StringEquals",
        "StringEqualsIgnoreCase",
        "StringLike",
        "NumericEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
        "DateEquals",
        "DateLessThan",
        "DateGreaterThan",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "ArnEquals",
        "ArnLike",
    ] {
        // The age key is absent in K and S.
        let v = kms(json!({op: {AGE: "1"}}));
        assert_eq!(&v[..2], "NN", "{op}");
    }
}

#[test]
fn absent_key_makes_negated_operators_true() {
    for op in [
        "StringNotEquals",
        "StringNotEqualsIgnoreCase",
        "StringNotLike",
        "NumericNotEquals",
        "DateNotEquals",
        "NotIpAddress",
        "ArnNotEquals",
        "ArnNotLike",
    ] {
        let v = kms(json!({op: {AGE: "1"}}));
        assert_eq!(&v[..2], "AA", "{op}");
    }
}

#[test]
fn absent_key_makes_if_exists_true() {
    for op in [
        "StringEqualsIfExists",
        "StringLikeIfExists",
        "NumericEqualsIfExists",
        "DateLessThanIfExists",
        "BoolIfExists",
        "IpAddressIfExists",
        "ArnLikeIfExists",
        "StringNotEqualsIfExists",
    ] {
        let v = kms(json!({op: {AGE: "1"}}));
        assert_eq!(&v[..2], "AA", "{op}");
    }
}

#[test]
fn for_all_values_on_absent_key_is_true_negated_or_not() {
    for op in [
        "ForAllValues:StringEquals",
        "ForAllValues:StringNotEquals",
        "ForAllValues:StringLikeIfExists",
    ] {
        assert_eq!(kms(json!({op: {P: "x"}})).chars().next(), Some('A'), "{op}");
    }
}

#[test]
fn for_any_value_on_absent_key_is_false_negated_or_not() {
    for op in [
        "ForAnyValue:StringEquals",
        "ForAnyValue:StringNotEquals",
        "ForAnyValue:StringLikeIfExists",
    ] {
        assert_eq!(kms(json!({op: {P: "x"}})).chars().next(), Some('N'), "{op}");
    }
}

#[test]
fn for_any_value_on_present_key_compares() {
    assert_eq!(
        kms(json!({"ForAnyValue:StringEquals": {P: "false"}})),
        "NAN"
    );
    assert_eq!(
        kms(json!({"ForAllValues:StringNotEquals": {P: "false"}})),
        "ANA"
    );
}

#[test]
fn null_true_holds_when_absent() {
    assert_eq!(kms(json!({"Null": {P: "true"}})), "ANN");
}

#[test]
fn null_false_holds_when_present() {
    assert_eq!(kms(json!({"Null": {P: "false"}})), "NAA");
    assert_eq!(kms(json!({"Null": {AGE: false}})), "NNA");
}

// --- present keys: each operator family --------------------------------------------------

#[test]
fn string_family_on_present_key() {
    assert_eq!(kms(json!({"StringEquals": {P: "false"}})), "NAN");
    assert_eq!(kms(json!({"StringEquals": {P: "FALSE"}})), "NNN");
    assert_eq!(kms(json!({"StringEqualsIgnoreCase": {P: "FALSE"}})), "NAN");
    assert_eq!(
        kms(json!({"StringNotEqualsIgnoreCase": {P: "FALSE"}})),
        "ANA"
    );
    assert_eq!(kms(json!({"StringLike": {P: "f*"}})), "NAN");
    assert_eq!(kms(json!({"StringNotLike": {P: "t?ue"}})), "AAN");
}

#[test]
fn numeric_family_compares_on_the_age() {
    assert_eq!(kms(json!({"NumericEquals": {AGE: "60"}})), "NNA");
    assert_eq!(kms(json!({"NumericNotEquals": {AGE: "60"}})), "AAN");
    assert_eq!(kms(json!({"NumericLessThan": {AGE: "60"}})), "NNN");
    assert_eq!(kms(json!({"NumericLessThanEquals": {AGE: "60"}})), "NNA");
    assert_eq!(kms(json!({"NumericGreaterThan": {AGE: 59}})), "NNA");
    assert_eq!(kms(json!({"NumericGreaterThanEquals": {AGE: "61"}})), "NNN");
    // A value the operator cannot read is not guessed.
    assert_eq!(kms(json!({"NumericLessThan": {AGE: "soon"}})), "NN~");
}

#[test]
fn date_family_on_a_present_key_may_hold() {
    assert_eq!(
        kms(json!({"DateLessThan": {AGE: "2030-01-01T00:00:00Z"}})),
        "NN~"
    );
    assert_eq!(
        kms(json!({"DateNotEquals": {AGE: "2030-01-01T00:00:00Z"}})),
        "AA~"
    );
}

#[test]
fn bool_family_compares_case_insensitively() {
    assert_eq!(kms(json!({"Bool": {P: "False"}})), "NAN");
    assert_eq!(kms(json!({"Bool": {P: "TRUE"}})), "NNA");
    assert_eq!(kms(json!({"Bool": {P: "yes"}})), "N~~");
}

#[test]
fn arn_family_on_a_value_that_is_not_an_arn() {
    assert_eq!(kms(json!({"ArnLike": {P: "arn:aws:iam::*:*"}})), "NNN");
    assert_eq!(kms(json!({"ArnNotEquals": {P: "arn:aws:iam::*:*"}})), "AAA");
}

#[test]
fn ip_family_on_unknown_key_may_hold() {
    assert_eq!(
        kms(json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
        "~~~"
    );
    assert_eq!(
        kms(json!({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
        "~~~"
    );
}

#[test]
fn unknown_key_may_hold_whatever_the_operator() {
    assert_eq!(kms(json!({"Null": {"aws:SourceVpc": "true"}})), "~~~");
    assert_eq!(
        kms(json!({"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}})),
        "~~~"
    );
}

// --- combining -----------------------------------------------------------------------------

#[test]
fn values_of_one_key_are_ored() {
    assert_eq!(kms(json!({"Bool": {P: ["true", "false"]}})), "NAA");
}

#[test]
fn values_of_a_negated_operator_are_nored() {
    assert_eq!(
        kms(json!({"StringNotEquals": {P: ["false", "true"]}})),
        "ANN"
    );
    assert_eq!(kms(json!({"StringNotEquals": {P: ["false", "x"]}})), "ANA");
}

#[test]
fn several_operators_and_keys_are_anded() {
    assert_eq!(
        kms(json!({"Bool": {P: "true"}, "Null": {AGE: "false"}})),
        "NNA"
    );
    assert_eq!(
        kms(json!({"BoolIfExists": {P: "false"}, "Null": {AGE: "true"}})),
        "AAN"
    );
    assert_eq!(kms(json!({"Null": {P: "true", AGE: "true"}})), "ANN");
    // One false part decides, even beside an unknown key.
    assert_eq!(
        kms(json!({"Bool": {P: "false"}, "StringEquals": {"aws:SourceVpc": "v"}})),
        "N~N"
    );
}

#[test]
fn key_names_are_case_insensitive() {
    assert_eq!(
        kms(json!({"BoolIfExists": {"AWS:MULTIFACTORAUTHPRESENT": "false"}})),
        "AAN"
    );
    assert_eq!(
        kms(json!({"Null": {"aws:multifactorauthage": "true"}})),
        "AAN"
    );
    assert!(
        statement_with("Deny", json!({"Bool": {"aws:multifactorauthage": "x"}})).mentions_mfa_key()
    );
}

#[test]
fn json_true_and_string_true_are_the_same() {
    assert_eq!(
        kms(json!({"Bool": {P: true}})),
        kms(json!({"Bool": {P: "true"}}))
    );
    assert_eq!(
        kms(json!({"BoolIfExists": {P: false}})),
        kms(json!({"BoolIfExists": {P: "false"}}))
    );
    assert_eq!(
        kms(json!({"NumericLessThan": {AGE: 3600}})),
        kms(json!({"NumericLessThan": {AGE: "3600"}}))
    );
}

#[test]
fn unknown_operator_is_kept_reported_and_may_hold() {
    let doc = json!({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*",
        "Condition": {"BoolIfExists": {P: "false"}, "StringStartsWith": {P: "f"}}}});
    let policy = parse_export_document(&doc, "").unwrap();
    let reported: Vec<String> = policy.unknown_operators().map(|c| c.to_string()).collect();
    assert_eq!(
        reported,
        [r#"StringStartsWith aws:MultiFactorAuthPresent ["f"]"#]
    );
    let s = &policy.statements[0];
    assert_eq!(verdicts(s), "~~N");
    let narrowing = statement_applies(s, Context::S);
    assert!(narrowing.narrowing()[0].unknown_operator);
    assert!(
        narrowing.narrowing()[0]
            .to_string()
            .contains("not supported")
    );
}

// --- the seed documents ------------------------------------------------------------------

/// enforce-2fa-policy-tutorial.txt, policy "RequireMFA", verbatim.
const REQUIRE_MFA: &str = r#"{
"Version": "2012-10-17",
"Statement": [
{
"Sid": "AllowListActions",
"Effect": "Allow",
"Action": [
"iam:ListUsers",
"iam:ListVirtualMFADevices"
],
"Resource": "*"
},
{
"Sid": "AllowUserToCreateVirtualMFADevice",
"Effect": "Allow",
"Action": [
"iam:CreateVirtualMFADevice"
],
"Resource": "arn:aws:iam::*:mfa/*"
},
{
"Sid": "AllowUserToManageTheirOwnMFA",
"Effect": "Allow",
"Action": [
"iam:EnableMFADevice",
"iam:GetMFADevice",
"iam:ListMFADevices",
"iam:ResyncMFADevice"
],
"Resource": "arn:aws:iam::*:user/${aws:username}"
},
{
"Sid": "AllowUserToDeactivateTheirOwnMFAOnlyWhenUsingMFA",
"Effect": "Allow",
"Action": [
"iam:DeactivateMFADevice"
],
"Resource": "arn:aws:iam::*:user/${aws:username}",
"Condition": {
"Bool": {
"aws:MultiFactorAuthPresent": "true"
}
}
},
{
"Sid": "AllowChangeOwnPasswordAndCreateLoginProfile",
"Effect": "Allow",
"Action": [
"iam:ChangePassword",
"iam:CreateLoginProfile"
],
"Resource": "arn:aws:iam::*:user/${aws:username}"
},
{
"Sid": "BlockMostAccessUnlessSignedInWithMFA",
"Effect": "Deny",
"NotAction": [
"iam:CreateVirtualMFADevice",
"iam:EnableMFADevice",
"iam:ListMFADevices",
"iam:ListUsers",
"iam:ListVirtualMFADevices",
"iam:ResyncMFADevice",
"iam:ChangePassword",
"iam:CreateLoginProfile"
],
"Resource": "*",
"Condition": {
"BoolIfExists": {
"aws:MultiFactorAuthPresent": "false"
}
}
}
]
}"#;

/// console-users-mfa-rule.txt, the example policy of step 3, verbatim.
const CONSOLE_USERS_MFA: &str = r#"{
   "Version": "2012-10-17",
   "Statement": [
     {
       "Sid": "AllowAllActionsForUsersWithMFA",
       "Effect": "Allow",
       "Action": "*",
       "Resource": "*",
       "Condition": {
         "BoolIfExists": {
           "aws:MultiFactorAuthPresent": "true"
         }
       }
     },
     {
       "Sid": "DenyAllActionsForUsersWithoutMFA",
       "Effect": "Deny",
       "Action": "*",
       "Resource": "*",
       "Condition": {
         "BoolIfExists": {
           "aws:MultiFactorAuthPresent": "false"
         }
       }
     }
   ]
}"#;

/// cross-account-role-mfa.txt, the trust policy, verbatim.
const CROSS_ACCOUNT_TRUST: &str = r#"{
"Version": "2012-10-17",
"Statement": [
{
"Effect": "Allow",
"Principal": { "AWS": "arn:aws:iam::THIRD_PARTY_ACCOUNT_ID:root" },
"Action": "sts:AssumeRole",
"Condition": {
"Bool": { "aws:MultiFactorAuthPresent": "true" }
}
}
]
}"#;

fn seed(text: &str) -> Vec<Statement> {
    parse_export_document(&Value::String(text.to_string()), "/seed")
        .unwrap()
        .statements
}

#[test]
fn seed_require_mfa_blocks_everything_but_mfa_self_service_without_mfa() {
    let s = seed(REQUIRE_MFA);
    assert_eq!(s.len(), 6);
    let block = &s[5];
    assert_eq!(
        block.sid.as_deref(),
        Some("BlockMostAccessUnlessSignedInWithMFA")
    );
    assert!(block.is_deny() && block.mentions_mfa_key() && block.resources.is_all());
    assert!(!block.actions.covers_all_actions());
    assert_eq!(
        block.actions.not_action_exemptions().map(<[_]>::len),
        Some(8)
    );
    assert!(block.actions.covers("s3:GetObject"));
    assert!(!block.actions.covers("iam:changepassword"));
    assert_eq!(verdicts(block), "AAN");
    assert_eq!(block.pointer, "/seed/Statement/5");

    let deactivate = &s[3];
    assert_eq!(
        deactivate.sid.as_deref(),
        Some("AllowUserToDeactivateTheirOwnMFAOnlyWhenUsingMFA")
    );
    assert!(allow_requires_mfa(deactivate));
    assert!(!allow_requires_mfa(&s[0]));
    assert!(!s[0].mentions_mfa_key());
}

#[test]
fn seed_console_users_policy_denies_without_mfa_but_its_allow_does_not_require_it() {
    let s = seed(CONSOLE_USERS_MFA);
    let (allow, deny) = (&s[0], &s[1]);
    assert!(!allow_requires_mfa(allow), "BoolIfExists true holds in K");
    assert_eq!(verdicts(allow), "ANA");
    assert!(deny.actions.covers_all_actions() && deny.resources.is_all());
    assert_eq!(verdicts(deny), "AAN");
}

#[test]
fn seed_cross_account_trust_requires_mfa() {
    let s = seed(CROSS_ACCOUNT_TRUST);
    let allow = &s[0];
    assert!(allow_requires_mfa(allow));
    assert!(allow.actions.covers_assume_role());
    let principal = allow.principal.as_ref().unwrap();
    assert_eq!(
        principal.aws(),
        ["arn:aws:iam::THIRD_PARTY_ACCOUNT_ID:root"]
    );
    assert!(!principal.is_everyone());
    assert_eq!(verdicts(allow), "NNA");
}
