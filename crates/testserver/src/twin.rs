//! `sync_twin!`: the blocking twin of code written in async form.

/// The tokens given, with every `async` keyword and every `.await` removed, in nested
/// `()`, `[]` and `{}` groups too: a test written once against the async client compiles as its
/// twin against the sync client (whose API is the async one without `.await`). Code meant for
/// both must stay valid once stripped: no `async move {}` block (it would become `move {}`).
/// A group left unchanged is passed on as written, spans and all, so that a failed assertion in
/// it reports its own line.
///
/// A tt-muncher, two expansion steps a token: a caller stripping long bodies raises its crate's
/// `#![recursion_limit]`.
///
/// ```
/// streaming_assistants_testserver::sync_twin! {
///     async fn double(x: u32) -> u32 {
///         async fn id(x: u32) -> u32 { x }
///         let add = async |a: u32, b: u32| a + b;
///         add(id(x).await, [id(x).await][0]).await
///     }
/// }
/// assert_eq!(double(21), 42);
/// ```
#[macro_export]
#[doc(hidden)]
macro_rules! sync_twin {
    // The state: `@go [stack] changed [output] input...`, `changed` saying whether the group
    // being munched lost an `async` or an `.await` (`yes` or `no`). Each stack frame is an
    // enclosing group's output so far, its `changed`, the group as written, and what follows
    // it.

    // Done.
    (@go [] $changed:ident [$($out:tt)*]) => { $($out)* };
    // The end of a group unchanged: the group as written, its spans kept (a failed assertion
    // inside reports its own line).
    (@go [[$($up:tt)*] $up_changed:ident $group:tt [$($after:tt)*] $($stack:tt)*]
        no [$($out:tt)*]) => {
        $crate::sync_twin! { @go [$($stack)*] $up_changed [$($up)* $group] $($after)* }
    };
    // The end of a group changed: rebuilt, which changes the enclosing group too.
    (@go [[$($up:tt)*] $up_changed:ident ($($_group:tt)*) [$($after:tt)*] $($stack:tt)*]
        yes [$($out:tt)*]) => {
        $crate::sync_twin! { @go [$($stack)*] yes [$($up)* ( $($out)* )] $($after)* }
    };
    (@go [[$($up:tt)*] $up_changed:ident [$($_group:tt)*] [$($after:tt)*] $($stack:tt)*]
        yes [$($out:tt)*]) => {
        $crate::sync_twin! { @go [$($stack)*] yes [$($up)* [ $($out)* ]] $($after)* }
    };
    (@go [[$($up:tt)*] $up_changed:ident {$($_group:tt)*} [$($after:tt)*] $($stack:tt)*]
        yes [$($out:tt)*]) => {
        $crate::sync_twin! { @go [$($stack)*] yes [$($up)* { $($out)* }] $($after)* }
    };
    // Dropped: `async` and `.await`.
    (@go $stack:tt $changed:ident $out:tt async $($rest:tt)*) => {
        $crate::sync_twin! { @go $stack yes $out $($rest)* }
    };
    (@go $stack:tt $changed:ident $out:tt . await $($rest:tt)*) => {
        $crate::sync_twin! { @go $stack yes $out $($rest)* }
    };
    // Any other token: looked at twice, as written and inside.
    (@go $stack:tt $changed:ident $out:tt $token:tt $($rest:tt)*) => {
        $crate::sync_twin! { @one $stack $changed $out $token $token $($rest)* }
    };
    // A group: push a frame, munch its inside.
    (@one [$($stack:tt)*] $changed:ident $out:tt $group:tt ( $($inner:tt)* ) $($rest:tt)*) => {
        $crate::sync_twin! { @go [$out $changed $group [$($rest)*] $($stack)*] no [] $($inner)* }
    };
    (@one [$($stack:tt)*] $changed:ident $out:tt $group:tt [ $($inner:tt)* ] $($rest:tt)*) => {
        $crate::sync_twin! { @go [$out $changed $group [$($rest)*] $($stack)*] no [] $($inner)* }
    };
    (@one [$($stack:tt)*] $changed:ident $out:tt $group:tt { $($inner:tt)* } $($rest:tt)*) => {
        $crate::sync_twin! { @go [$out $changed $group [$($rest)*] $($stack)*] no [] $($inner)* }
    };
    // A token: kept.
    (@one $stack:tt $changed:ident [$($out:tt)*] $token:tt $_same:tt $($rest:tt)*) => {
        $crate::sync_twin! { @go $stack $changed [$($out)* $token] $($rest)* }
    };
    // The entry.
    ($($input:tt)*) => { $crate::sync_twin! { @go [] no [] $($input)* } };
}
