//! Pattern matching of actions and resources (`*` and `?` wildcards), and what an
//! [`ActionSpec`] or [`ResourceSpec`] covers.

use super::model::{ActionSpec, ResourceSpec};

/// `sts:AssumeRole`: assuming a role with AWS credentials.
pub const STS_ASSUME_ROLE: &str = "sts:AssumeRole";
/// `sts:AssumeRoleWithSAML`: assuming a role through a SAML identity provider.
pub const STS_ASSUME_ROLE_WITH_SAML: &str = "sts:AssumeRoleWithSAML";
/// `sts:AssumeRoleWithWebIdentity`: assuming a role through an OIDC/web identity provider.
pub const STS_ASSUME_ROLE_WITH_WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";
/// The three role-assumption actions a trust policy grants.
pub const ASSUME_ROLE_ACTIONS: [&str; 3] = [
    STS_ASSUME_ROLE,
    STS_ASSUME_ROLE_WITH_SAML,
    STS_ASSUME_ROLE_WITH_WEB_IDENTITY,
];

/// Matches `text` against `pattern`, where `*` matches any run of characters (including
/// none) and `?` exactly one. `case_insensitive` compares letters ASCII-case-insensitively.
/// Runs in O(pattern × text) at worst, so hostile patterns cannot blow up.
pub fn wildcard_match(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let same = |a: char, b: char| {
        if case_insensitive {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut pi, mut ti) = (0usize, 0usize);
    // Position of the last `*` seen, and the text position it is currently matched up to.
    let mut backtrack: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                backtrack = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || same(c, t[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match backtrack {
                Some((star, matched)) => {
                    pi = star + 1;
                    ti = matched + 1;
                    backtrack = Some((star, matched + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// True when an action pattern (`sts:Assume*`, `iam:*`, `*`) matches `action`,
/// case-insensitively, as IAM matches actions.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    wildcard_match(pattern, action, true)
}

/// True when a resource pattern (`arn:aws:s3:::bucket/*`, `*`) matches `resource`
/// (case-sensitively; policy variables such as `${aws:username}` are matched literally).
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    wildcard_match(pattern, resource, false)
}

/// True when an action pattern matches every action: `*`, `*:*` (and `**`-like spellings).
pub fn is_all_actions_pattern(pattern: &str) -> bool {
    let all_stars = |s: &str| !s.is_empty() && s.chars().all(|c| c == '*');
    match pattern.split_once(':') {
        None => all_stars(pattern),
        Some((service, name)) => all_stars(service) && all_stars(name),
    }
}

impl ActionSpec {
    /// True when the statement covers `action` (an action name such as `s3:GetObject`):
    /// for `Action`, some pattern matches it; for `NotAction`, no pattern does.
    pub fn covers(&self, action: &str) -> bool {
        match self {
            ActionSpec::Action(patterns) => patterns.iter().any(|p| action_matches(p, action)),
            ActionSpec::NotAction(patterns) => !patterns.iter().any(|p| action_matches(p, action)),
        }
    }

    /// True when the statement covers every action: `Action` containing `*` or `*:*`, or a
    /// `NotAction` that exempts nothing (an empty list). A `NotAction` with exemptions covers
    /// every action except those: see [`ActionSpec::not_action_exemptions`].
    pub fn covers_all_actions(&self) -> bool {
        match self {
            ActionSpec::Action(patterns) => patterns.iter().any(|p| is_all_actions_pattern(p)),
            ActionSpec::NotAction(patterns) => patterns.is_empty(),
        }
    }

    /// For `NotAction`, the exempted patterns as written; `None` for `Action`.
    pub fn not_action_exemptions(&self) -> Option<&[String]> {
        match self {
            ActionSpec::Action(_) => None,
            ActionSpec::NotAction(patterns) => Some(patterns),
        }
    }

    /// Which of `sts:AssumeRole`, `sts:AssumeRoleWithSAML`, `sts:AssumeRoleWithWebIdentity`
    /// the statement covers (by pattern, so `sts:*` or `sts:AssumeRole*` covers all three).
    pub fn assume_role_actions(&self) -> Vec<&'static str> {
        ASSUME_ROLE_ACTIONS
            .into_iter()
            .filter(|action| self.covers(action))
            .collect()
    }

    /// True when the statement covers `sts:AssumeRole`.
    pub fn covers_assume_role(&self) -> bool {
        self.covers(STS_ASSUME_ROLE)
    }

    /// True when the statement covers `sts:AssumeRoleWithSAML`.
    pub fn covers_assume_role_with_saml(&self) -> bool {
        self.covers(STS_ASSUME_ROLE_WITH_SAML)
    }

    /// True when the statement covers `sts:AssumeRoleWithWebIdentity`.
    pub fn covers_assume_role_with_web_identity(&self) -> bool {
        self.covers(STS_ASSUME_ROLE_WITH_WEB_IDENTITY)
    }
}

impl ResourceSpec {
    /// True when the statement names all resources: `Resource` is or contains `*`.
    /// `NotResource` and an absent `Resource` (trust policies) are not "all".
    pub fn is_all(&self) -> bool {
        match self {
            ResourceSpec::Resource(patterns) => patterns.iter().any(|p| p == "*"),
            ResourceSpec::NotResource(_) | ResourceSpec::Absent => false,
        }
    }

    /// True when the statement covers `resource` (an ARN): some `Resource` pattern matches,
    /// or no `NotResource` pattern does. An absent spec covers nothing it could name.
    pub fn covers(&self, resource: &str) -> bool {
        match self {
            ResourceSpec::Resource(p) => p.iter().any(|p| resource_matches(p, resource)),
            ResourceSpec::NotResource(p) => !p.iter().any(|p| resource_matches(p, resource)),
            ResourceSpec::Absent => false,
        }
    }

    /// The patterns as written (empty when absent).
    pub fn patterns(&self) -> &[String] {
        match self {
            ResourceSpec::Resource(p) | ResourceSpec::NotResource(p) => p,
            ResourceSpec::Absent => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*", "", false));
        assert!(wildcard_match("", "", false));
        assert!(!wildcard_match("", "a", false));
        assert!(wildcard_match("a*c", "abbbc", false));
        assert!(wildcard_match("a?c", "abc", false));
        assert!(!wildcard_match("a?c", "ac", false));
        assert!(wildcard_match("*b*b*", "abxbx", false));
        assert!(!wildcard_match("*b*b", "abxbx", false));
        assert!(wildcard_match("a**", "a", false));
        assert!(!wildcard_match("A", "a", false));
        assert!(wildcard_match("A", "a", true));
    }

    #[test]
    fn pathological_pattern_is_fast() {
        let text = "a".repeat(2000);
        let pattern = format!("{}b", "*a".repeat(200));
        assert!(!wildcard_match(&pattern, &text, false));
    }

    #[test]
    fn actions_match_case_insensitively() {
        assert!(action_matches("sts:Assume*", "STS:assumerolewithsaml"));
        assert!(action_matches("iam:*", "IAM:CreateUser"));
        assert!(action_matches("*", "s3:GetObject"));
        assert!(action_matches("s3:Get?bject", "s3:GetObject"));
        assert!(!action_matches("iam:*", "sts:AssumeRole"));
        assert!(!action_matches("sts:AssumeRole", "sts:AssumeRoleWithSAML"));
    }

    #[test]
    fn resources_match_case_sensitively() {
        assert!(resource_matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/k"));
        assert!(!resource_matches("arn:aws:s3:::B/*", "arn:aws:s3:::b/k"));
    }

    #[test]
    fn covers_all_actions() {
        let action = |p: &[&str]| ActionSpec::Action(p.iter().map(|s| s.to_string()).collect());
        assert!(action(&["s3:GetObject", "*"]).covers_all_actions());
        assert!(action(&["*:*"]).covers_all_actions());
        assert!(!action(&["iam:*"]).covers_all_actions());
        assert!(!action(&["*:Get*"]).covers_all_actions());
        let not = ActionSpec::NotAction(vec!["iam:ChangePassword".into()]);
        assert!(!not.covers_all_actions());
        assert!(not.covers("s3:GetObject"));
        assert!(!not.covers("IAM:changepassword"));
        assert_eq!(
            not.not_action_exemptions(),
            Some(&["iam:ChangePassword".to_string()][..])
        );
        assert_eq!(action(&["*"]).not_action_exemptions(), None);
        assert!(ActionSpec::NotAction(vec![]).covers_all_actions());
    }

    #[test]
    fn assume_role_actions_by_pattern() {
        let spec = ActionSpec::Action(vec!["sts:AssumeRole*".into()]);
        assert_eq!(spec.assume_role_actions(), ASSUME_ROLE_ACTIONS);
        let spec = ActionSpec::Action(vec!["sts:AssumeRoleWithSAML".into()]);
        assert!(spec.covers_assume_role_with_saml());
        assert!(!spec.covers_assume_role());
        assert!(!spec.covers_assume_role_with_web_identity());
        let spec = ActionSpec::NotAction(vec!["sts:AssumeRoleWith*".into()]);
        assert_eq!(spec.assume_role_actions(), [STS_ASSUME_ROLE]);
    }

    #[test]
    fn resource_is_all() {
        assert!(ResourceSpec::Resource(vec!["arn:x".into(), "*".into()]).is_all());
        assert!(!ResourceSpec::Resource(vec!["arn:*".into()]).is_all());
        assert!(!ResourceSpec::NotResource(vec!["arn:x".into()]).is_all());
        assert!(!ResourceSpec::Absent.is_all());
        assert!(ResourceSpec::NotResource(vec!["arn:x".into()]).covers("arn:y"));
    }
}
