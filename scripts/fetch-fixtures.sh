#!/usr/bin/env bash
# Downloads the third-party test fixtures (3GPP/ETSI OpenAPI files, pretrained ONNX models and sample images) from
# their public origins at pinned commits into $MECGW_FIXTURES_DIR (default: ../shared beside the repository) and
# checks each file's SHA-256. The fixtures stay out of the repository: their origins, versions and licences are
# listed in docs/fixtures.md. Files already present with the right hash are kept; a file is moved into place only
# after its hash matched, so an interrupted run leaves nothing half-written.
#
#   scripts/fetch-fixtures.sh           fetch what is missing, verify everything
#   scripts/fetch-fixtures.sh --check   verify only (no network); exit 1 when a file is missing or differs
#
# Exit codes: 0 all public fixtures present and verified; 1 a file is missing or its hash differs; 3 offline.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${MECGW_FIXTURES_DIR:-$repo_root/../shared}"
origin="${MECGW_FIXTURES_ORIGIN:-https://raw.githubusercontent.com}"
check_only=false
case "${1:-}" in
  --check) check_only=true ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# sha256, path under the fixtures folder, <owner>/<repository>/<commit>/<path in repository>
public_files() {
  cat <<'LIST'
4d22162e6902e01616d950a901ab9e36c8f052074c4119a1d73385a3322284e5 specs/3gpp/TS26512_CommonData.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS26512_CommonData.yaml
19d10244e9100674cd484e9186ca563b5e3adbf1da491a8c5384caa4a8ccf7ab specs/3gpp/TS26512_M5_DynamicPolicies.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS26512_M5_DynamicPolicies.yaml
276722a489ffd0927d6b732d4c305c145d936ea6a8a760b5d478c261a6283c19 specs/3gpp/TS26512_M5_NetworkAssistance.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS26512_M5_NetworkAssistance.yaml
6a3d538f605e6b3769b834d4f3a8d0f9a11ab780dc8a462fe153a7b435f9554b specs/3gpp/TS26512_R4_DataReporting.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS26512_R4_DataReporting.yaml
c706dc90b71ab7c1e32c3103c7f23fe1ce559b3e1bbc676e5071aaea2c87d7da specs/3gpp/TS26532_CommonData.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS26532_CommonData.yaml
7838f1c71b1f3d29ffee5a99c2fd540796c5e69dc8278e184d43456c63a11e64 specs/3gpp/TS26532_Ndcaf_DataReporting.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS26532_Ndcaf_DataReporting.yaml
a03aefc67180d8e0847e30e18a25cd8ed0ee924a57b836fdf6c5623eec5f3417 specs/3gpp/TS28104_MdaNrm.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28104_MdaNrm.yaml
76c0132e404c5b7f5a1189e53b57a0c7af532641cd3f071e6b5994af50b7b203 specs/3gpp/TS28104_MdaReport.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28104_MdaReport.yaml
a4506a962d3613ae47b4b7dfac368209cb41ad4a1b4ae2365fe688ede937572f specs/3gpp/TS28105_AiMlNrm.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28105_AiMlNrm.yaml
0873c75bf5ef9c3d3c217e8907ea6cf81adf0180a64910010980bccd706fd978 specs/3gpp/TS28312_IntentExpectations.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28312_IntentExpectations.yaml
0ec2bd753e3bdd5575dd8210bb1c1d86880d4a418388a6760ecae685bc6db683 specs/3gpp/TS28312_IntentNrm.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28312_IntentNrm.yaml
d22625561bed18b422a14c2fbaf94f241c13dd23a2fd1936035165a6b4574474 specs/3gpp/TS28532_FaultMnS.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28532_FaultMnS.yaml
bb71d670eeaf0bf9aebf79e4a8bce634c33dfcfe913cc8854e1397c6cb2de933 specs/3gpp/TS28532_FileDataReportingMnS.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28532_FileDataReportingMnS.yaml
0b71a97b1c0962527057b29832eaa29456da0486c03c93b0bb6eb6207927b76c specs/3gpp/TS28532_HeartbeatNtf.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28532_HeartbeatNtf.yaml
e0803197ced3bae36e4c04e172822ee8ad2020411c6d3f5a31c3fc8a82d4dffe specs/3gpp/TS28532_PerfMnS.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28532_PerfMnS.yaml
af96376f948ab2c07dfa2f4f0aff7c7a01d988a611aad50ca3296f8382097896 specs/3gpp/TS28532_ProvMnS.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28532_ProvMnS.yaml
e4b007b4caeda2c3849fc75d1b45f4a58b44fd1a5e894395ff6f396f578914fe specs/3gpp/TS28536_CoslaNrm.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28536_CoslaNrm.yaml
d498f4272eefdd2062df629da6f90bf982a3471f0f5d76f090ff8e88cf54be4a specs/3gpp/TS28538_EdgeNrm.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28538_EdgeNrm.yaml
983d0c211dad5d8d5ed69490fcbdc56e595236c0fc96d51471197efac7545466 specs/3gpp/TS28541_5GcNrm.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28541_5GcNrm.yaml
ce52d4e3c6431f2412d81205583cfb0e4c9b7d45baec3927e2c449c12b7095e6 specs/3gpp/TS28541_NrNrm.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28541_NrNrm.yaml
1b2b884f57c190f930bd301f22e07daae807ea9148687b12447c4873d21e8316 specs/3gpp/TS28541_SliceNrm.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28541_SliceNrm.yaml
d174bbaae65397dd4d702fdd11c27a62516b8233a3cb3a1a5fe970267c83f209 specs/3gpp/TS28623_ComDefs.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28623_ComDefs.yaml
a7f1c4a35adbd1c8980706ddd87fac9410e11c499e1c2f5dd1d6945b1aa3aa07 specs/3gpp/TS28623_GenericNrm.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS28623_GenericNrm.yaml
07051454d8868ca806a30fe59cab6770dd79486409a5a5f53fd707b608bdf1a8 specs/3gpp/TS29122_AsSessionWithQoS.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29122_AsSessionWithQoS.yaml
0f128db93435ec8bd9d924474d6ad9cf49659b9edbc02848f9eb775b18049b13 specs/3gpp/TS29122_CommonData.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29122_CommonData.yaml
35f06805ed7d8aa39566f81bd6c92e285cd11bfcab96390f8cf34e395a1a68c5 specs/3gpp/TS29122_CpProvisioning.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29122_CpProvisioning.yaml
85a8d9bb4e582e011b9b4767cc55deee8eb5a57bcf27c50e32b60e764b782738 specs/3gpp/TS29122_MonitoringEvent.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29122_MonitoringEvent.yaml
18d32cf05ceb39708cc00199ffa81c7e7605c22ac0cb7b90f4503865bfa68dd7 specs/3gpp/TS29122_ResourceManagementOfBdt.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29122_ResourceManagementOfBdt.yaml
4417234d011c10fc1bdd6052569df68523aa92142368e925752ea14017aecd48 specs/3gpp/TS29502_Nsmf_PDUSession.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29502_Nsmf_PDUSession.yaml
2a84be64fb0a334dafa3e68935ff5ee0693f2a87fd3eb0ffbf38870e312c4f80 specs/3gpp/TS29503_Nudm_EE.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29503_Nudm_EE.yaml
c1742b50498b585a44de84dab1f43aca958b32f2dee9508b959a6fb0f05eae96 specs/3gpp/TS29503_Nudm_NIDDAU.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29503_Nudm_NIDDAU.yaml
ebec096853530dc4d7641fadfa626a74559fc1e8e98e434b2affedb39b0d6657 specs/3gpp/TS29503_Nudm_PP.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29503_Nudm_PP.yaml
388e8d1be73507156507e657b92ce812f1e9c82c2e2b97bfbc2727847bef0ea0 specs/3gpp/TS29503_Nudm_SDM.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29503_Nudm_SDM.yaml
262d88ea006f409f5a267ad4574b92b2a5d7cbc78e5d7e1f185768980620ccbf specs/3gpp/TS29503_Nudm_SSAU.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29503_Nudm_SSAU.yaml
8cd8e14fc172c3c905d15543796c1bc437a6b1f1f7c4f3b7dd01e7a0a0e01754 specs/3gpp/TS29503_Nudm_UEAU.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29503_Nudm_UEAU.yaml
f2ef71527c950f718f30a21fe44b4907c7ac6e07e45c1d0afbf5c630b347a928 specs/3gpp/TS29503_Nudm_UECM.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29503_Nudm_UECM.yaml
14e95cf78f775c9a66eb733f2550cf6628da409e5ea966853b552eec91fa5f07 specs/3gpp/TS29505_Subscription_Data.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29505_Subscription_Data.yaml
20dff1d8c2ab9a623460048f28d6d940fe5a65027b358aeda9b57765f00a3ba9 specs/3gpp/TS29507_Npcf_AMPolicyControl.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29507_Npcf_AMPolicyControl.yaml
037d46610607d6e152138a56b0c21ec481d3c74ae5af6b3b4589cb55e840cc98 specs/3gpp/TS29508_Nsmf_EventExposure.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29508_Nsmf_EventExposure.yaml
20a21ef1208ff0a373fad6fa913a4739059bec44c3ea7cf6eb60d364bb973a72 specs/3gpp/TS29509_Nausf_SoRProtection.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29509_Nausf_SoRProtection.yaml
dbce12acbe3180b0c88eeb3b1b21b371a08b592a8381fa63b8fbdf8627a3eb73 specs/3gpp/TS29509_Nausf_UPUProtection.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29509_Nausf_UPUProtection.yaml
c76b9976fdd9934667fe51351e5e50290221c1d67b8023c1ed7167a2bf181a90 specs/3gpp/TS29510_Nnrf_AccessToken.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29510_Nnrf_AccessToken.yaml
c20ef168dce34ab89da129cbc9e9493aff8bbac26ca7048a4f4a11c7704c6eb6 specs/3gpp/TS29510_Nnrf_NFManagement.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29510_Nnrf_NFManagement.yaml
d88db8ee510478243326e6322763f15cbaebaa8355eb7f40b13b103e1f12354c specs/3gpp/TS29512_Npcf_SMPolicyControl.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29512_Npcf_SMPolicyControl.yaml
f12de024ec657152a0290030f6b25a94f5cb1d9cb3616815a118143c898eb9cc specs/3gpp/TS29514_Npcf_PolicyAuthorization.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29514_Npcf_PolicyAuthorization.yaml
c2d2ffa0ae8cddd3e5eafbf042ae13a286adf98283bd132a0834525bc04ea06f specs/3gpp/TS29515_Ngmlc_Location.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29515_Ngmlc_Location.yaml
617b9540187d08a779b309e5709895e08220b6cf5ca6d1936e52296e788f94b0 specs/3gpp/TS29517_Naf_EventExposure.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29517_Naf_EventExposure.yaml
df99198c3f6d6b98cf2b32d50549cab98ed1a427e781ef187b1d725f5dcb1f74 specs/3gpp/TS29518_Namf_Communication.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29518_Namf_Communication.yaml
0f0cc6581827b76b55b1a8bab5b46a2563afa004bdaf5de3fbc41d44843b0bd6 specs/3gpp/TS29518_Namf_EventExposure.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29518_Namf_EventExposure.yaml
e7008468f99ac9a7112d17d422d510001436a700aa306d529ed179dc7386e00b specs/3gpp/TS29518_Namf_Location.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29518_Namf_Location.yaml
4b13118680c44e47fae21dbdef54dc2bb61ad0ff818f4d2a96bad408c899ab65 specs/3gpp/TS29519_Policy_Data.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29519_Policy_Data.yaml
14c401648f6f1b17d1f52482eadf3c231e4e146df4b7d51e2bc30162e1b96d13 specs/3gpp/TS29520_Nnwdaf_AnalyticsInfo.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29520_Nnwdaf_AnalyticsInfo.yaml
388fdf4db764c1347fcba81577c68867039a8dcf03f0afca3efa9e3a3457db69 specs/3gpp/TS29520_Nnwdaf_EventsSubscription.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29520_Nnwdaf_EventsSubscription.yaml
655cc1a1935e44093ea0f66a530fa446ae36a4898a3c4f74e7466e54d7f2964c specs/3gpp/TS29520_Nnwdaf_MLModelProvision.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29520_Nnwdaf_MLModelProvision.yaml
d0d00bf7d06908ddca2b6515ed2d1a8efc2dfbaebf74a4d352683a01dc572069 specs/3gpp/TS29522_5GLANParameterProvision.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29522_5GLANParameterProvision.yaml
96b41ffd52c5bbcd29a0d002361382ee18218204e0ae3960ab1b470f982e998f specs/3gpp/TS29522_AMPolicyAuthorization.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29522_AMPolicyAuthorization.yaml
2c736515595aa359227ec4b07ee725bda234adecf4707e968e2cf005dd2c94be specs/3gpp/TS29522_ServiceParameter.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29522_ServiceParameter.yaml
af803d60a94e62e323c8b88fc2242594a34ebb928d0fb435bc9fc8baea4fc76c specs/3gpp/TS29522_TrafficInfluence.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29522_TrafficInfluence.yaml
d42571e22e0c2289d7b4a5bbb5fef14924c22b3a392a43d152b72bbfaad5c357 specs/3gpp/TS29522_UEId.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29522_UEId.yaml
7bb7121d1c5cb144631ef130d7a6ee891db1ba45413c5c43261457b05e13899e specs/3gpp/TS29523_Npcf_EventExposure.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29523_Npcf_EventExposure.yaml
00769c1cc879571bd87683bd9b1c6e76e91c87cd5dc6fc89538050feffa53344 specs/3gpp/TS29531_Nnssf_NSSelection.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29531_Nnssf_NSSelection.yaml
024e616fb241b98836c1a6dcdcefb69c368d4753c92013fd7d18a27715297872 specs/3gpp/TS29534_Npcf_AMPolicyAuthorization.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29534_Npcf_AMPolicyAuthorization.yaml
3b8882daae5162dccc6b3b28cc97e893c02b9cdf1b259fe1dc5d468d5b9fea6b specs/3gpp/TS29536_Nnsacf_SliceEventExposure.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29536_Nnsacf_SliceEventExposure.yaml
b74ada284ca3a2af36509357c687f88c9fa5c09a89777096816146707f58b8e1 specs/3gpp/TS29544_Nspaf_SecuredPacket.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29544_Nspaf_SecuredPacket.yaml
0e5bbc28b4f53285cc0f738c20049dbf53fa5606959e8f98c540ab0e166f7ab6 specs/3gpp/TS29554_Npcf_BDTPolicyControl.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29554_Npcf_BDTPolicyControl.yaml
0a5c401861f31380e81a2c77f0d82982c2a5763333e9f3a3792ae7f2cf5c7828 specs/3gpp/TS29555_N5g-ddnmf_Discovery.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29555_N5g-ddnmf_Discovery.yaml
edac963cad6f6f883d753e9d27b0507f3bde3c2a2c685f1e2c9f0c33abdfb474 specs/3gpp/TS29562_Nhss_imsUEAU.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29562_Nhss_imsUEAU.yaml
b77075db8ea9f2982788afb70d651b945f64d400e73ab82fb963cdb6dff9351e specs/3gpp/TS29571_CommonData.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29571_CommonData.yaml
883a22f16b7cf10a0673afd7f07c25576bce333f89784441762b48440d902170 specs/3gpp/TS29572_Nlmf_Location.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29572_Nlmf_Location.yaml
86212e114a148578ca0d854e6a6a73c3e20721715ed51c3eb1286f24567a5850 specs/3gpp/TS29574_Ndccf_DataManagement.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29574_Ndccf_DataManagement.yaml
75e70076880396711ebe2a632c4d8bd94b96b0ccf52e638f20b80040ea453aeb specs/3gpp/TS29575_Nadrf_DataManagement.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29575_Nadrf_DataManagement.yaml
9af0f60601ad6a271bd04bd6598b512bfc5cfbe7a4f0a1361ebf29960dc4e43e specs/3gpp/TS29576_Nmfaf_3caDataManagement.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29576_Nmfaf_3caDataManagement.yaml
01a7acf67428160d014803425827d9134f40701dd368182be4a2777c77574459 specs/3gpp/TS29591_Nnef_EventExposure.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS29591_Nnef_EventExposure.yaml
1b501086765de84effe9fdd4ef627a0d11ff15f9a1983829b7bfc729724f8368 specs/3gpp/TS32291_Nchf_ConvergedCharging.yaml jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/TS32291_Nchf_ConvergedCharging.yaml
098bae092fea08298fd94f73767b213cc54b7d668608fb3eaa5744b5377260ac specs/etsi-mec/LocationAPI.yaml etsi-forge/mec.gs013-location-api/152787ff1ddc2fba897d56f7936dc97ce69fd736/LocationAPI.yaml
27a51eae89c61f0621a4e0580d1d3ab3936fc6ac1fe13986285e082653963af0 specs/etsi-mec/MecAppSupportApi.yaml etsi-forge/mec.gs011-app-enablement-api/9d0d5921d25d9f333679edfa104ce0a32d4e173f/MecAppSupportApi.yaml
6932da4cd169469153cd13634e9d20e603d761ffc3637ffac51793fa07d484f2 specs/etsi-mec/MecServiceMgmtApi.yaml etsi-forge/mec.gs011-app-enablement-api/9d0d5921d25d9f333679edfa104ce0a32d4e173f/MecServiceMgmtApi.yaml
a719a85370f37aa1a8ebed0245f865c4d7c7ada9a178b1f3a9c125ee0533d788 specs/etsi-mec/RniAPI.yaml etsi-forge/mec.gs012-rnis-api/a19228f7f8879ae173aa40da66e2dc4a3774e144/RniAPI.yaml
8f102e377f1ad7ed9fa90d9dd6cb9ab75e071949dcdb8cb413a10dc98d80b9d4 specs/etsi-mec/LICENSE etsi-forge/mec.gs013-location-api/152787ff1ddc2fba897d56f7936dc97ce69fd736/LICENSE
2f06e72de813a8635c9bc0397ac447a601bdbfa7df4bebc278723b958831c9bf models/mnist-8/model.onnx fastmachinelearning/qonnx/cc2ec17b7d6a60c93f180f4cb2666dd89b1b64a1/src/qonnx/data/onnx/mnist-conv/model.onnx
e934e1029a1d31f3471236dd366bd7a7e55c76e6b245a221d55ed9eec600b89e models/mnist-8/test_data_set_0/input_0.pb fastmachinelearning/qonnx/cc2ec17b7d6a60c93f180f4cb2666dd89b1b64a1/src/qonnx/data/onnx/mnist-conv/test_data_set_0/input_0.pb
cb94055e8e7938cc2bbc245ba43b7529384cd45cb6846d0fe51f557e18372aac models/mnist-8/test_data_set_0/output_0.pb fastmachinelearning/qonnx/cc2ec17b7d6a60c93f180f4cb2666dd89b1b64a1/src/qonnx/data/onnx/mnist-conv/test_data_set_0/output_0.pb
605830117746cdb27c91f418b3048b18a86f64636f2ffd5f5d01da724c31e460 models/vww-mobilenetv1-96/model.onnx mlcommons/tiny_results_v1.3/cd605ea0981306693c9e19765a15801c776988dc/closed/kai_jiang/code/vww/VCU128/models/vww_96_float.onnx
34cd7e60aeff28744c657de7a3dc64e872d506741de66987f3426f2b79f88017 models/ultraface-rfb-320/model.onnx Linzaer/Ultra-Light-Fast-Generic-Face-Detector-1MB/dffdddda9794a50607cba8f318507a28c1c27cab/models/onnx/version-RFB-320.onnx
42f22f006e845cedefcbbbc76399d00a83a27831cb17a7b3fafcb9c60c814cd6 models/ultraface-rfb-320/labels.txt Linzaer/Ultra-Light-Fast-Generic-Face-Detector-1MB/dffdddda9794a50607cba8f318507a28c1c27cab/models/voc-model-labels.txt
9785f8bf4ecfaca47251a756f6fe37322ac9a0245b1ced8ec026b7104459b95c models/toycar-ad-autoencoder/model.onnx mlcommons/tiny_results_v0.7/64623f41b6721bdff6d0133a524c63a003123b3b/open/Alibaba/code/ad/sinian/ad_model/model_ad.onnx
88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5 models/images/astronaut.png scikit-image/scikit-image/cd0a3d22b9f359f05618d75d5c7a29b91b4951ca/src/_skimage2/data/astronaut.png
e49fb5cd0c31b07984784e50a809825370d8adeac31c9f86ff396f64da635010 models/images/kitten_224.png onnxruntime/onnxruntime-qnn/cee6c0d91e583d43f5ecef6391e93c19b4042c0f/winml/test/collateral/images/kitten_224.png
LIST
}

# Reference tensors made for this project from the upstream preprocessing (see docs/fixtures.md): they have no public
# origin, so only a full shared/ copy carries them; the few tests that compare against them skip without them.
derived_files() {
  cat <<'LIST'
14e0643e59761077655e799f6d809389b46b6811bc6728cbae02db18369a682e models/toycar-ad-autoencoder/test_data_set_0/input_0.pb
8da36e6d0caf59efc4eb9164ece54a3cb556b6c747acee2279fd38339babfb00 models/toycar-ad-autoencoder/test_data_set_0/output_0.pb
249595a53565802678598616d8452f767061441bb08fe6bb12f1ba48aaaa254a models/ultraface-rfb-320/expected_detections.txt
4983d4d92753b38eb7715d3c3fa4849f4584aa4f6e67ab2301124585185cc053 models/ultraface-rfb-320/test_data_set_0/input_0.pb
7f8d5fa9cd882bb3bdeb3fa8e4567b0a9f0fefa497f7c6d6122a3a6249fae0ad models/ultraface-rfb-320/test_data_set_0/output_0.pb
c7931b8a452ae22bb060db3ab210cb10d4c7e57632fc5b456f8c8b936a619488 models/ultraface-rfb-320/test_data_set_0/output_1.pb
161d3a4fc7d258d1d1eff2d1d3f4a2162b7f05594d7978cca80fc943ed0219c1 models/vww-mobilenetv1-96/test_data_set_0/input_0.pb
8280e5ead339e9f563b509ed1fc266f12eb186ba829ace2d01aacff44ad76de6 models/vww-mobilenetv1-96/test_data_set_0/output_0.pb
91204e221b0ad541b31ac5af084f80023114ceafadf258ca0042e530942147d9 models/vww-mobilenetv1-96/test_data_set_1/input_0.pb
6ced30046f3bae10b106459a3e8fe3e66bcdb311e1aa6b370610e5deae949192 models/vww-mobilenetv1-96/test_data_set_1/output_0.pb
LIST
}

sha_of() { sha256sum "$1" | cut -c1-64; }

fetch() { # url, output file
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 --connect-timeout 15 -o "$2" "$1"
  else
    wget -q -T 15 -O "$2" "$1"
  fi
}

$check_only || mkdir -p "$dest"
[[ -d "$dest" ]] && dest="$(cd "$dest" && pwd)"
echo "fixtures folder: $dest"
missing=0
bad=0
fetched=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if ! $check_only; then
  # One cheap probe first, so that an offline machine gets one clear message instead of 88 failures.
  if ! fetch "$origin/jdegre/5GC_APIs/955350ee8e54c81fe0e227113a663ae50231df48/README.md" "$tmp/probe" 2>/dev/null; then
    echo "ERROR: cannot reach $origin (offline or blocked)." >&2
    echo "  fetch-fixtures needs HTTPS access to GitHub; otherwise copy a shared/ folder from a colleague" >&2
    echo "  and point MECGW_FIXTURES_DIR at it. Tests that need a fixture skip without it (fail under CI=true)." >&2
    exit 3
  fi
fi

while read -r sha path source; do
  file="$dest/$path"
  if [[ -f "$file" && "$(sha_of "$file")" == "$sha" ]]; then
    continue
  fi
  if $check_only; then
    if [[ -f "$file" ]]; then echo "DIFFERS  $path"; bad=$((bad + 1)); else echo "MISSING  $path"; missing=$((missing + 1)); fi
    continue
  fi
  part="$tmp/part"
  if ! fetch "$origin/$source" "$part"; then
    echo "FAILED   $path  <- $origin/$source" >&2
    missing=$((missing + 1))
    continue
  fi
  got="$(sha_of "$part")"
  if [[ "$got" != "$sha" ]]; then
    echo "BAD HASH $path: expected $sha, got $got (origin changed or a proxy rewrote it); not installed" >&2
    bad=$((bad + 1))
    continue
  fi
  mkdir -p "$(dirname "$file")"
  mv "$part" "$file"
  fetched=$((fetched + 1))
  echo "fetched  $path"
done < <(public_files)

derived_missing=0
while read -r sha path; do
  file="$dest/$path"
  if [[ ! -f "$file" ]]; then
    derived_missing=$((derived_missing + 1))
  elif [[ "$(sha_of "$file")" != "$sha" ]]; then
    echo "DIFFERS  $path" >&2
    bad=$((bad + 1))
  fi
done < <(derived_files)

total="$(public_files | wc -l)"
echo "public fixtures: $total listed, $fetched fetched now, $missing missing, $bad with a wrong hash"
if ((derived_missing > 0)); then
  echo "derived reference tensors: $derived_missing not present (no public origin; the tests comparing against them skip)"
fi
((missing == 0 && bad == 0))
