//! `#[derive(FromJson)]` and `#[derive(ToJson)]` for Insitu's options and results.
//!
//! They read the subset of serde's attributes the crate uses, spelled `#[json(...)]`:
//! container `rename_all = "camelCase"`, `deny_unknown_fields`, `untagged`; field
//! `default`, `rename`, `skip`, `deserialize_with`, `skip_serializing_if`, `flatten`;
//! variant `rename`. The generated code reads from and writes to `crate::json` (a small
//! JSON tree and writer) without generics over a serializer, which is what made serde's
//! derives cost about a third of the `.wasm`.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::{parse_macro_input, Data, DeriveInput, Fields, LitStr, Type};

/// Reads a value from `crate::json::Json` (options as JS passes them).
#[proc_macro_derive(FromJson, attributes(json))]
pub fn derive_from_json(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    from_json(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Writes a value as JSON text (results as JS receives them).
#[proc_macro_derive(ToJson, attributes(json))]
pub fn derive_to_json(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    to_json(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

#[derive(Default)]
struct ContainerAttrs {
    camel_case: bool,
    deny_unknown_fields: bool,
    untagged: bool,
}

#[derive(Default)]
struct FieldAttrs {
    default: bool,
    rename: Option<String>,
    skip: bool,
    deserialize_with: Option<syn::Path>,
    skip_serializing_if: Option<syn::Path>,
    flatten: bool,
}

fn container_attrs(attrs: &[syn::Attribute]) -> syn::Result<ContainerAttrs> {
    let mut out = ContainerAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("json")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                let style: LitStr = meta.value()?.parse()?;
                if style.value() != "camelCase" {
                    return Err(meta.error("only rename_all = \"camelCase\" is supported"));
                }
                out.camel_case = true;
            } else if meta.path.is_ident("deny_unknown_fields") {
                out.deny_unknown_fields = true;
            } else if meta.path.is_ident("untagged") {
                out.untagged = true;
            } else {
                return Err(meta.error("unsupported json container attribute"));
            }
            Ok(())
        })?;
    }
    Ok(out)
}

fn field_attrs(attrs: &[syn::Attribute]) -> syn::Result<FieldAttrs> {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("json")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                out.default = true;
            } else if meta.path.is_ident("rename") {
                out.rename = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("skip") {
                out.skip = true;
            } else if meta.path.is_ident("flatten") {
                out.flatten = true;
            } else if meta.path.is_ident("deserialize_with") {
                out.deserialize_with = Some(meta.value()?.parse::<LitStr>()?.parse()?);
            } else if meta.path.is_ident("skip_serializing_if") {
                out.skip_serializing_if = Some(meta.value()?.parse::<LitStr>()?.parse()?);
            } else {
                return Err(meta.error("unsupported json field attribute"));
            }
            Ok(())
        })?;
    }
    Ok(out)
}

/// `first_order` -> `firstOrder`.
fn camel_field(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `FirstTouch` -> `firstTouch`.
fn camel_variant(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn json_name(ident: &syn::Ident, attrs: &FieldAttrs, container: &ContainerAttrs) -> String {
    if let Some(name) = &attrs.rename {
        return name.clone();
    }
    let name = ident.to_string();
    let name = name.trim_start_matches("r#");
    if container.camel_case {
        camel_field(name)
    } else {
        name.to_owned()
    }
}

fn variant_name(variant: &syn::Variant, container: &ContainerAttrs) -> syn::Result<String> {
    let attrs = field_attrs(&variant.attrs)?;
    Ok(match attrs.rename {
        Some(name) => name,
        None if container.camel_case => camel_variant(&variant.ident.to_string()),
        None => variant.ident.to_string(),
    })
}

fn is_option(ty: &Type) -> bool {
    match ty {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Option"),
        _ => false,
    }
}

/// Generic parameters get the derived trait as a bound.
fn generics_with_bound(input: &DeriveInput, bound: Tokens) -> syn::Generics {
    let mut generics = input.generics.clone();
    for param in generics.type_params_mut() {
        param
            .bounds
            .push(syn::parse2(bound.clone()).expect("a trait path"));
    }
    generics
}

/// The body reading named fields from `entries: &[(String, Json)]` into `path { .. }`.
fn read_named(
    path: Tokens,
    fields: &syn::FieldsNamed,
    container: &ContainerAttrs,
) -> syn::Result<Tokens> {
    let mut names = Vec::new();
    let mut inits = Vec::new();
    for field in &fields.named {
        let attrs = field_attrs(&field.attrs)?;
        let ident = field.ident.as_ref().expect("named field");
        if attrs.flatten {
            return Err(syn::Error::new_spanned(
                field,
                "flatten is only supported by ToJson",
            ));
        }
        if attrs.skip {
            inits.push(quote! { #ident: ::core::default::Default::default() });
            continue;
        }
        let name = json_name(ident, &attrs, container);
        let ty = &field.ty;
        let optional = attrs.default || is_option(ty);
        let read = match (&attrs.deserialize_with, optional) {
            (Some(with), true) => quote! {
                match crate::json::find(entries, #name) {
                    Some(value) => #with(value).map_err(|e| e.at(#name))?,
                    None => ::core::default::Default::default(),
                }
            },
            (Some(with), false) => quote! {
                #with(crate::json::require(entries, #name)?).map_err(|e| e.at(#name))?
            },
            (None, true) => quote! {
                crate::json::optional::<#ty>(entries, #name)?.unwrap_or_default()
            },
            (None, false) => quote! { crate::json::required::<#ty>(entries, #name)? },
        };
        inits.push(quote! { #ident: #read });
        names.push(name);
    }
    let deny = if container.deny_unknown_fields {
        quote! { crate::json::deny_unknown(entries, &[#(#names),*])?; }
    } else {
        quote! {}
    };
    Ok(quote! {
        #deny
        #path { #(#inits),* }
    })
}

fn from_json(input: &DeriveInput) -> syn::Result<Tokens> {
    let container = container_attrs(&input.attrs)?;
    let name = &input.ident;
    let generics = generics_with_bound(input, quote!(crate::json::FromJson));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let body = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) => {
                let what = format!("struct {name}");
                let read = read_named(quote!(#name), fields, &container)?;
                quote! {
                    let entries = crate::json::entries(value, #what)?;
                    Ok({ #read })
                }
            }
            _ => {
                return Err(syn::Error::new_spanned(
                    input,
                    "only named fields are supported",
                ))
            }
        },
        Data::Enum(data) if container.untagged => {
            let mut tries = Vec::new();
            for variant in &data.variants {
                let ident = &variant.ident;
                tries.push(match &variant.fields {
                    Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                        let ty = &f.unnamed[0].ty;
                        quote! {
                            match <#ty as crate::json::FromJson>::from_json(value) {
                                Ok(inner) => return Ok(#name::#ident(inner)),
                                Err(e) => crate::json::JsonError::keep_closest(&mut closest, e),
                            }
                        }
                    }
                    Fields::Named(fields) => {
                        let read = read_named(quote!(#name::#ident), fields, &container)?;
                        quote! {
                            let attempt = (|| -> ::core::result::Result<Self, crate::json::JsonError> {
                                let entries = crate::json::entries(value, "a map")?;
                                Ok({ #read })
                            })();
                            match attempt {
                                Ok(found) => return Ok(found),
                                Err(e) => crate::json::JsonError::keep_closest(&mut closest, e),
                            }
                        }
                    }
                    _ => {
                        return Err(syn::Error::new_spanned(
                            variant,
                            "untagged variants must hold one value or named fields",
                        ))
                    }
                });
            }
            let message = format!("data did not match any variant of untagged enum {name}");
            // The error of a variant that took the value's kind (an object for a struct
            // variant) says more than "did not match", e.g. which field is unknown.
            quote! {
                let mut closest: ::core::option::Option<crate::json::JsonError> = None;
                #(#tries)*
                Err(closest.unwrap_or_else(|| crate::json::JsonError::new(#message)))
            }
        }
        Data::Enum(data) => {
            let mut arms = Vec::new();
            let mut names = Vec::new();
            for variant in &data.variants {
                if !matches!(variant.fields, Fields::Unit) {
                    return Err(syn::Error::new_spanned(
                        variant,
                        "tagged enums must have unit variants only",
                    ));
                }
                let ident = &variant.ident;
                let text = variant_name(variant, &container)?;
                arms.push(quote! { #text => Ok(#name::#ident) });
                names.push(text);
            }
            quote! {
                const VARIANTS: &[&str] = &[#(#names),*];
                match crate::json::variant(value, VARIANTS)? {
                    #(#arms,)*
                    // variant() has checked the name, so this arm is not reached.
                    other => Err(crate::json::JsonError::new(format!("unknown variant `{other}`"))),
                }
            }
        }
        Data::Union(_) => return Err(syn::Error::new_spanned(input, "unions are not supported")),
    };
    Ok(quote! {
        impl #impl_generics crate::json::FromJson for #name #ty_generics #where_clause {
            fn from_json(value: &crate::json::Json) -> ::core::result::Result<Self, crate::json::JsonError> {
                #body
            }
        }
    })
}

fn to_json(input: &DeriveInput) -> syn::Result<Tokens> {
    let container = container_attrs(&input.attrs)?;
    let name = &input.ident;
    let generics = generics_with_bound(input, quote!(crate::json::ToJson));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let methods = match &input.data {
        Data::Struct(data) => {
            let Fields::Named(fields) = &data.fields else {
                return Err(syn::Error::new_spanned(
                    input,
                    "only named fields are supported",
                ));
            };
            let mut writes = Vec::new();
            for field in &fields.named {
                let attrs = field_attrs(&field.attrs)?;
                if attrs.skip {
                    continue;
                }
                let ident = field.ident.as_ref().expect("named field");
                let write = if attrs.flatten {
                    quote! { crate::json::ToJson::write_fields(&self.#ident, object); }
                } else {
                    let key = json_name(ident, &attrs, &container);
                    quote! { object.field(#key, &self.#ident); }
                };
                writes.push(match &attrs.skip_serializing_if {
                    Some(skip) => quote! { if !#skip(&self.#ident) { #write } },
                    None => write,
                });
            }
            quote! {
                fn write_json(&self, out: &mut ::std::string::String) {
                    let mut object = crate::json::ObjectOut::begin(out);
                    crate::json::ToJson::write_fields(self, &mut object);
                    object.end();
                }
                fn write_fields(&self, object: &mut crate::json::ObjectOut) {
                    #(#writes)*
                }
            }
        }
        Data::Enum(data) => {
            let mut arms = Vec::new();
            for variant in &data.variants {
                let ident = &variant.ident;
                arms.push(match (&variant.fields, container.untagged) {
                    (Fields::Unit, false) => {
                        let text = variant_name(variant, &container)?;
                        quote! { #name::#ident => crate::json::write_str(out, #text) }
                    }
                    (Fields::Unnamed(f), true) if f.unnamed.len() == 1 => {
                        quote! { #name::#ident(inner) => crate::json::ToJson::write_json(inner, out) }
                    }
                    _ => {
                        return Err(syn::Error::new_spanned(
                            variant,
                            "ToJson supports unit variants, or untagged one-value variants",
                        ))
                    }
                });
            }
            quote! {
                fn write_json(&self, out: &mut ::std::string::String) {
                    match self { #(#arms,)* }
                }
            }
        }
        Data::Union(_) => return Err(syn::Error::new_spanned(input, "unions are not supported")),
    };
    Ok(quote! {
        impl #impl_generics crate::json::ToJson for #name #ty_generics #where_clause {
            #methods
        }
    })
}
